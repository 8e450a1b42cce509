from django.urls import path

from caching.decorators import public_page, shared_page

from . import views
from .filters import (
    COHORTS_QUERY,
    COMPARE_QUERY,
    DASHBOARD_QUERY,
    SNAPSHOT_QUERY,
    TIMELINE_QUERY,
)

app_name = "dashboard"
urlpatterns = [
    # Public pages: anonymous responses are cached whole, keyed on the data version.
    # Compare and cohorts are for signed-in funders: their shared part is cached for them
    # (caching/shared.py), never for anonymous visitors.
    path("", public_page(views.dashboard, DASHBOARD_QUERY), name="dashboard"),
    path("map/", public_page(views.locality_map, SNAPSHOT_QUERY), name="map"),
    path("timeline/", public_page(views.timeline, TIMELINE_QUERY), name="timeline"),
    path("data/<slug:chart>.csv", public_page(views.chart_csv, DASHBOARD_QUERY), name="chart-csv"),
    path("compare/", shared_page(views.compare, COMPARE_QUERY), name="compare"),
    path("compare/data.csv", shared_page(views.compare_csv, COMPARE_QUERY), name="compare-csv"),
    path("cohorts/", shared_page(views.cohorts, COHORTS_QUERY), name="cohorts"),
    path("cohorts/data.csv", shared_page(views.cohorts_csv, COHORTS_QUERY), name="cohorts-csv"),
]
