from django.urls import path

from . import views

app_name = "dashboard"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("timeline/", views.timeline, name="timeline"),
    path("data/<slug:chart>.csv", views.chart_csv, name="chart-csv"),
]
