"""Admin for the confidential records: staff only (funders are never staff).

The assessment admin gains the ratings inline here, so the public record's admin never
imports this app.
"""

from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from compacts.admin import AssessmentAdmin
from compacts.models import Assessment

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


class AssessmentWithRatingsAdmin(AssessmentAdmin):
    inlines = [RatingInline, *AssessmentAdmin.inlines]


admin.site.unregister(Assessment)
admin.site.register(Assessment, AssessmentWithRatingsAdmin)
