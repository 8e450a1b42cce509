from django.contrib import admin
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


@admin.register(models.Assessment)
class AssessmentAdmin(SimpleHistoryAdmin):
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
