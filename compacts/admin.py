from django.contrib import admin
from django.core.exceptions import PermissionDenied
from simple_history.admin import SimpleHistoryAdmin

from sources.admin import CitationInline

from . import models


@admin.register(models.Stage)
class StageAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "key"]
    inlines = [CitationInline]


@admin.register(models.Compact)
class CompactAdmin(admin.ModelAdmin):
    list_display = [
        "city",
        "program",
        "signing_year",
        "portfolio_at_signing",
        "significant_funding",
    ]
    list_filter = ["program", "signing_year", "portfolio_at_signing", "significant_funding"]
    search_fields = ["city__name", "name"]
    list_select_related = ["city"]
    inlines = [CitationInline]


# The workspace (workspace.services) publishes, unpublishes and changes published stages,
# with its evidence check and a revision-log entry; the admin must not go around it.
PUBLISH_IN_WORKSPACE = (
    "Publishing and unpublishing go through the workspace's reconcile page, which checks "
    "the evidence and records the change in the city's revision log."
)


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
    """A published assessment is read-only here; a draft's fields other than its status
    stay editable. Every save, including simple-history's revert, passes ``save_model``,
    which refuses any change of status or publication date."""

    readonly_fields = ["status", "published_at", "version"]
    list_display = [
        "city",
        "period_start",
        "period_precision",
        "consensus_stage",
        "stage_provenance",
        "status",
    ]
    list_filter = ["status", "stage_provenance", "consensus_stage", "period_precision"]
    search_fields = ["city__name"]
    list_select_related = ["city", "consensus_stage"]
    date_hierarchy = "period_start"
    inlines = [CitationInline]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_published:
            return False
        return super().has_delete_permission(request, obj)

    def save_model(self, request, obj, form, change):
        stored = models.Assessment.objects.filter(pk=obj.pk).first() if obj.pk else None
        was = (stored.status, stored.published_at) if stored else (obj.Status.DRAFT, None)
        if stored is not None and stored.is_published:
            raise PermissionDenied(PUBLISH_IN_WORKSPACE)
        if (obj.status, obj.published_at) != was:
            raise PermissionDenied(PUBLISH_IN_WORKSPACE)
        if stored is not None:
            # A workspace form open on this draft then sees a newer version, not a silent
            # overwrite (workspace.services checks versions).
            obj.version = stored.version + 1
        super().save_model(request, obj, form, change)


@admin.register(models.InitiativeType)
class InitiativeTypeAdmin(admin.ModelAdmin):
    list_display = ["label", "cost", "benefit"]
    list_filter = ["cost", "benefit"]
    search_fields = ["label"]
    inlines = [CitationInline]


class InitiativeStatusInline(admin.TabularInline):
    model = models.InitiativeStatus
    extra = 0


class InitiativeFigureInline(admin.TabularInline):
    model = models.InitiativeFigure
    extra = 0


@admin.register(models.Initiative)
class InitiativeAdmin(admin.ModelAdmin):
    list_display = ["title", "city", "type", "start_year", "end_year"]
    list_filter = ["type", "city"]
    search_fields = ["title", "description", "city__name"]
    list_select_related = ["city", "type"]
    inlines = [InitiativeStatusInline, InitiativeFigureInline, CitationInline]


@admin.register(models.TrajectoryFinding)
class TrajectoryFindingAdmin(admin.ModelAdmin):
    list_display = ["city", "direction", "period_as_written", "summary"]
    list_filter = ["direction", "city"]
    search_fields = ["summary", "city__name"]
    list_select_related = ["city"]
    inlines = [CitationInline]


@admin.register(models.ResearchFinding)
class ResearchFindingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "group", "position"]
    list_filter = ["kind"]
    search_fields = ["title", "summary"]
    filter_horizontal = ["example_cities"]
    inlines = [CitationInline]


@admin.register(models.PublishedFigure)
class PublishedFigureAdmin(admin.ModelAdmin):
    list_display = ["key", "value", "value_as_written", "scope", "as_of_as_written"]
    search_fields = ["key", "scope", "note"]
    inlines = [CitationInline]


@admin.register(models.Discrepancy)
class DiscrepancyAdmin(admin.ModelAdmin):
    list_display = ["key", "summary"]
    search_fields = ["key", "summary", "resolution"]
    inlines = [CitationInline]


@admin.register(models.RevisionLogEntry)
class RevisionLogEntryAdmin(admin.ModelAdmin):
    """Read-only: the public revision log is written by the publish workflow alone."""

    list_display = [
        "city",
        "period_label",
        "action",
        "logged_on",
        "stage_before",
        "stage_after",
    ]
    list_filter = ["action"]
    search_fields = ["city__name", "reason"]
    list_select_related = ["city", "stage_before", "stage_after"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.InitiativeStatus)
class InitiativeStatusAdmin(admin.ModelAdmin):
    list_display = ["initiative", "status", "as_of_year"]
    list_filter = ["status", "as_of_year"]
    search_fields = ["initiative__title", "note"]
    list_select_related = ["initiative"]
    inlines = [CitationInline]


@admin.register(models.InitiativeFigure)
class InitiativeFigureAdmin(admin.ModelAdmin):
    list_display = ["initiative", "metric", "value", "as_of_year"]
    search_fields = ["initiative__title", "metric"]
    list_select_related = ["initiative"]
    inlines = [CitationInline]


@admin.register(models.PublicDataChange)
class PublicDataChangeAdmin(admin.ModelAdmin):
    """Read-only: the seed records its changes to public data here; the Cite box and the
    releases page read them."""

    list_display = ["at", "kind", "summary"]
    list_filter = ["kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class _DerivedAdmin(admin.ModelAdmin):
    """Derived rows (compacts.stored): shown to check, never edited by hand
    (``manage.py rebuild_standings`` rebuilds them)."""

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.StoredStanding)
class StoredStandingAdmin(_DerivedAdmin):
    list_display = ["city", "start", "until", "stage_order", "firm", "loss_status"]
    list_select_related = ["city"]


@admin.register(models.StoredYearEnd)
class StoredYearEndAdmin(_DerivedAdmin):
    list_display = ["day", "stage_order", "firm", "loss_status", "period_start", "count"]
    list_filter = ["loss_status"]


@admin.register(models.StaleStanding)
class StaleStandingAdmin(_DerivedAdmin):
    list_display = ["city_id"]
