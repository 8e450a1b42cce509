"""Admin for the confidential records: staff only (funders are never staff).

The assessment admin gains the ratings and the consensus note, and the revision log's admin
who recorded each entry, here, so the public record's admin never imports this app.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compacts.admin import AssessmentAdmin, RevisionLogEntryAdmin
from compacts.models import Assessment, RevisionLogEntry

from . import models


class RatingInline(admin.TabularInline):
    model = models.Rating
    extra = 0
    fields = ["rater", "stage", "confidence", "rationale"]


class EvidenceInline(admin.TabularInline):
    model = models.Evidence
    extra = 0


@admin.register(models.Rating)
class RatingAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "rater", "stage", "confidence", "updated_at"]
    list_filter = ["stage", "confidence"]
    search_fields = ["assessment__city__name", "rater__username", "rationale"]
    list_select_related = ["assessment__city", "rater", "stage"]
    # The first submission is what agreement counts: kept as submitted (see Rating).
    readonly_fields = [
        "first_stage",
        "first_confidence",
        "first_rationale",
        "changed_after_seeing_others_at",
    ]
    inlines = [EvidenceInline]


@admin.register(models.Interview)
class InterviewAdmin(SimpleHistoryAdmin):
    list_display = ["city", "conducted_on", "interviewee_role", "sector", "interviewer"]
    list_filter = ["sector", "city"]
    search_fields = ["city__name", "interviewee_role", "notes"]
    list_select_related = ["city", "interviewer"]
    date_hierarchy = "conducted_on"


@admin.register(models.Evidence)
class EvidenceAdmin(SimpleHistoryAdmin):
    list_display = ["rating", "interview", "source", "location"]
    list_filter = ["source"]
    search_fields = ["quote", "location", "rating__assessment__city__name"]
    list_select_related = ["rating__assessment__city", "rating__rater", "interview", "source"]


class ConsensusNoteInline(admin.StackedInline):
    model = models.ConsensusNote
    extra = 0
    max_num = 1


class RevisionRecordInline(admin.StackedInline):
    model = models.RevisionRecord
    extra = 0
    readonly_fields = ["recorded_by", "coverage_override_reason"]

    def has_add_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class AssessmentWithRatingsAdmin(AssessmentAdmin):
    inlines = [ConsensusNoteInline, RatingInline, *AssessmentAdmin.inlines]


class RevisionLogEntryWithRecordAdmin(RevisionLogEntryAdmin):
    inlines = [RevisionRecordInline]


admin.site.unregister(Assessment)
admin.site.register(Assessment, AssessmentWithRatingsAdmin)
admin.site.unregister(RevisionLogEntry)
admin.site.register(RevisionLogEntry, RevisionLogEntryWithRecordAdmin)


@admin.register(models.ConsensusNote)
class ConsensusNoteAdmin(SimpleHistoryAdmin):
    list_display = ["assessment", "text"]
    search_fields = ["assessment__city__name", "text"]
    list_select_related = ["assessment__city"]


@admin.register(models.RevisionRecord)
class RevisionRecordAdmin(admin.ModelAdmin):
    """Read-only, like the log it belongs to: the publish workflow writes it."""

    list_display = ["entry", "recorded_by", "coverage_override_reason"]
    search_fields = ["entry__city__name", "recorded_by__username", "coverage_override_reason"]
    list_select_related = ["entry__city", "recorded_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.Vignette)
class VignetteAdmin(admin.ModelAdmin):
    list_display = ["title", "intended_stage", "author", "created_at"]
    list_select_related = ["intended_stage", "author"]
    search_fields = ["title", "situation"]


@admin.register(models.VignetteRating)
class VignetteRatingAdmin(admin.ModelAdmin):
    """Read-only: calibration keeps each researcher's first, blind rating as given."""

    list_display = ["vignette", "rater", "stage", "rated_at"]
    list_select_related = ["vignette", "rater", "stage"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(models.Assignment)
class AssignmentAdmin(admin.ModelAdmin):
    list_display = ["city", "period_start", "researcher", "assigned_by", "created_at"]
    list_select_related = ["city", "researcher", "assigned_by"]
    search_fields = ["city__name", "researcher__username"]
