from django.urls import path

from . import views

app_name = "workspace"
urlpatterns = [
    path("", views.workspace_home, name="workspace"),
    path("interviews/", views.interview_list, name="interview-list"),
    path("interviews/new/", views.interview_create, name="interview-create"),
    path("interviews/<int:pk>/", views.interview_detail, name="interview-detail"),
    path("interviews/<int:pk>/edit/", views.interview_edit, name="interview-edit"),
    path("interviews/<int:pk>/delete/", views.interview_delete, name="interview-delete"),
    path("assessments/new/", views.assessment_create, name="assessment-create"),
    path("assessments/<int:pk>/", views.assessment_detail, name="assessment-detail"),
    path("assessments/<int:pk>/rating/", views.rating_edit, name="rating-edit"),
    path(
        "assessments/<int:pk>/reconcile/", views.assessment_reconcile, name="assessment-reconcile"
    ),
    path("assessments/<int:pk>/publish/", views.assessment_publish, name="assessment-publish"),
    path(
        "assessments/<int:pk>/unpublish/", views.assessment_unpublish, name="assessment-unpublish"
    ),
    path("agreement/", views.agreement_overview, name="agreement"),
    path("import/", views.import_ratings, name="import"),
    path("export.csv", views.export_csv, name="export"),
]
