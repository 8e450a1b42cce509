from django.urls import path

from caching.decorators import public_page

from . import views

app_name = "dashboard"
urlpatterns = [
    # Public pages: anonymous responses are cached whole, keyed on the data version.
    # Compare and cohorts are for signed-in funders and never cached whole.
    path("", public_page(views.dashboard), name="dashboard"),
    path("timeline/", public_page(views.timeline), name="timeline"),
    path("data/<slug:chart>.csv", public_page(views.chart_csv), name="chart-csv"),
    path("compare/", views.compare, name="compare"),
    path("compare/data.csv", views.compare_csv, name="compare-csv"),
    path("cohorts/", views.cohorts, name="cohorts"),
    path("cohorts/data.csv", views.cohorts_csv, name="cohorts-csv"),
]
