from django.urls import path

from caching.decorators import public_page

from . import views
from .filters import DASHBOARD_QUERY, SNAPSHOT_QUERY, TIMELINE_QUERY

app_name = "dashboard"
urlpatterns = [
    # Public pages: anonymous responses are cached whole, keyed on the data version.
    # Compare and cohorts are for signed-in funders and never cached whole.
    path("", public_page(views.dashboard, DASHBOARD_QUERY), name="dashboard"),
    path("map/", public_page(views.locality_map, SNAPSHOT_QUERY), name="map"),
    path("timeline/", public_page(views.timeline, TIMELINE_QUERY), name="timeline"),
    path("data/<slug:chart>.csv", public_page(views.chart_csv, DASHBOARD_QUERY), name="chart-csv"),
    path("compare/", views.compare, name="compare"),
    path("compare/data.csv", views.compare_csv, name="compare-csv"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/data.csv", views.cohorts_csv, name="cohorts-csv"),
]
