from django.contrib import admin, messages
from django.utils import timezone

from . import models


@admin.register(models.Subscription)
class SubscriptionAdmin(admin.ModelAdmin):
    list_display = ["user", "frequency", "active", "version", "changed_at"]
    list_filter = ["frequency", "active"]
    readonly_fields = ["version"]

    def save_model(self, request, obj, form, change):
        # Switching alerts on or off here is a subscribe or unsubscribe too: links made
        # before it stop working.
        if change and "active" in form.changed_data:
            obj.version += 1
        super().save_model(request, obj, form, change)


@admin.register(models.Watch)
class WatchAdmin(admin.ModelAdmin):
    list_display = ["user", "city", "created_at"]
    list_select_related = ["user", "city"]


class ReadOnlyAdmin(admin.ModelAdmin):
    """Written by send_alerts alone."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Delivery)
class DeliveryAdmin(ReadOnlyAdmin):
    list_display = ["user", "change_key", "message", "claimed_at"]
    list_select_related = ["user", "message"]


@admin.register(models.AlertMessage)
class AlertMessageAdmin(ReadOnlyAdmin):
    """The outbox. Filter by status "Gave up after repeated failures" for the emails that
    reach nobody; "Try again" puts them back in the queue for the next run."""

    list_display = ["subject", "user", "status", "attempts", "next_attempt_at", "last_error"]
    list_filter = ["status"]
    list_select_related = ["user"]
    search_fields = ["user__username", "user__email", "message_id"]
    actions = ["try_again"]

    def has_delete_permission(self, request, obj=None):
        # Deleting a message would leave its changes claimed and never sent.
        return False

    def has_retry_permission(self, request):
        return request.user.has_perm("alerts.change_alertmessage")

    @admin.action(description="Try again at the next run", permissions=["retry"])
    def try_again(self, request, queryset):
        count = queryset.filter(status=models.MessageStatus.FAILED).update(
            status=models.MessageStatus.PENDING, attempts=0, next_attempt_at=timezone.now()
        )
        self.message_user(request, f"{count} message(s) wait for the next run.", messages.SUCCESS)


@admin.register(models.FindingAdded)
class FindingAddedAdmin(admin.ModelAdmin):
    list_display = ["finding", "added_at"]
