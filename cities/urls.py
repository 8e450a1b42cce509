from django.contrib.sitemaps.views import sitemap
from django.urls import path

from caching.decorators import public_page
from common.framing import embeddable

from . import api, feeds, views
from .sitemaps import SITEMAPS

app_name = "cities"
urlpatterns = [
    # Public pages: anonymous responses are cached whole, keyed on the data version.
    path("", public_page(views.city_list), name="city-list"),
    path(
        "cities/", public_page(views.city_directory, views.DIRECTORY_QUERY), name="city-directory"
    ),
    path("cities/<slug:slug>/", public_page(views.city_detail), name="city-detail"),
    path("research/", public_page(views.research_findings), name="research-findings"),
    # A city's timeline for other sites to frame (the dashboard's embeds: dashboard.embed_urls).
    path(
        "embed/cities/<slug:slug>/timeline/",
        public_page(embeddable(views.city_timeline_embed)),
        name="city-timeline-embed",
    ),
    path("sitemap.xml", public_page(sitemap, ["p"]), {"sitemaps": SITEMAPS}, name="sitemap"),
    path("revisions.atom", public_page(feeds.RevisionFeed()), name="revision-feed"),
    path(
        "cities/<slug:slug>/revisions.atom",
        public_page(feeds.CityRevisionFeed()),
        name="city-revision-feed",
    ),
    path("api/", public_page(api.index), name="api-index"),
    path(
        "api/cities/",
        public_page(api.city_list, [api.AS_OF, *api.PAGING]),
        name="api-city-list",
    ),
    path(
        "api/cities/<slug:slug>/",
        public_page(api.city_detail, [api.AS_OF]),
        name="api-city-detail",
    ),
    path(
        "api/assessments/",
        public_page(api.assessment_list, ["city", *api.PAGING]),
        name="api-assessment-list",
    ),
    path("api/assessments.csv", public_page(api.assessment_csv), name="assessments-csv"),
    path(
        "api/initiatives/",
        public_page(api.initiative_list, ["city", *api.PAGING]),
        name="api-initiative-list",
    ),
    # Last: any other address under /api/ answers JSON, never an HTML or debug 404.
    path(api.NOT_FOUND_ROUTE, api.not_found, name="api-not-found"),
]
