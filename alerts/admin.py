from django.contrib import admin

from compacts.admin import TrajectoryFindingAdmin
from compacts.models import TrajectoryFinding

from . import models


@admin.register(models.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "active", "changed_at"]
    list_filter = ["frequency", "active"]


@admin.register(models.Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "created_at"]
    list_select_related = ["user", "city"]


@admin.register(models.Delivery)
class DeliveryAdmin(admin.ModelAdmin):
    """Read-only: the ledger is written by send_alerts alone."""

    list_display = ["user", "change_key", "sent_at"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.FindingAdded)
class FindingAddedAdmin(admin.ModelAdmin):
    list_display = ["finding", "added_at"]


class AlertingTrajectoryFindingAdmin(TrajectoryFindingAdmin):
    """A finding a lead adds by hand is news for the city's watchers."""

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if not change:
            models.FindingAdded.objects.create(finding=obj)


admin.site.unregister(TrajectoryFinding)
admin.site.register(TrajectoryFinding, AlertingTrajectoryFindingAdmin)
