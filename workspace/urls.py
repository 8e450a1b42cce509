from django.urls import path
from django.views.decorators.cache import never_cache

from . import method_views, views


def confidential(view):
    """Workspace pages show confidential research: no browser or proxy may keep a copy
    (``Cache-Control: no-store``). The export sets its own headers, by role."""
    return never_cache(view)


app_name = "workspace"
urlpatterns = [
    path("", confidential(views.workspace_home), name="workspace"),
    path("interviews/", confidential(views.interview_list), name="interview-list"),
    path("interviews/new/", confidential(views.interview_create), name="interview-create"),
    path("interviews/<int:pk>/", confidential(views.interview_detail), name="interview-detail"),
    path("interviews/<int:pk>/edit/", confidential(views.interview_edit), name="interview-edit"),
    path(
        "interviews/<int:pk>/delete/",
        confidential(views.interview_delete),
        name="interview-delete",
    ),
    path("assessments/new/", confidential(views.assessment_create), name="assessment-create"),
    path(
        "assessments/<int:pk>/",
        confidential(views.assessment_detail),
        name="assessment-detail",
    ),
    path("assessments/<int:pk>/rating/", confidential(views.rating_edit), name="rating-edit"),
    path(
        "assessments/<int:pk>/reconcile/",
        confidential(views.assessment_reconcile),
        name="assessment-reconcile",
    ),
    path(
        "assessments/<int:pk>/publish/",
        confidential(views.assessment_publish),
        name="assessment-publish",
    ),
    path(
        "assessments/<int:pk>/unpublish/",
        confidential(views.assessment_unpublish),
        name="assessment-unpublish",
    ),
    path("sources/", confidential(views.source_list), name="source-list"),
    path("sources/new/", confidential(views.source_create), name="source-create"),
    path(
        "sources/<int:pk>/passages/",
        confidential(views.source_passages),
        name="source-passages",
    ),
    path(
        "evidence/<int:pk>/verify/",
        confidential(views.evidence_verify),
        name="evidence-verify",
    ),
    path("agreement/", confidential(views.agreement_overview), name="agreement"),
    path("calibration/", confidential(method_views.calibration_home), name="calibration"),
    path("calibration/new/", confidential(method_views.vignette_create), name="vignette-create"),
    path(
        "calibration/<int:pk>/",
        confidential(method_views.vignette_detail),
        name="vignette-detail",
    ),
    path("coverage/", confidential(method_views.coverage_planner), name="coverage"),
    path("coverage.csv", confidential(method_views.coverage_csv), name="coverage-csv"),
    path(
        "coverage/assign/",
        confidential(method_views.assignment_create),
        name="assignment-create",
    ),
    path("import/", confidential(views.import_ratings), name="import"),
    path("export.csv", views.export_csv, name="export"),
]
