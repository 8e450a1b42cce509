from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("timeline/", views.timeline, name="timeline"),
    path("data/<slug:chart>.csv", views.chart_csv, name="chart-csv"),
    path("compare/", views.compare, name="compare"),
    path("compare/data.csv", views.compare_csv, name="compare-csv"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/data.csv", views.cohorts_csv, name="cohorts-csv"),
]
