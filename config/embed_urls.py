"""/embed/: the public charts for other sites to frame (see config/framing.py)."""

from django.urls import path

from caching.decorators import public_page
from cities.views import city_timeline_embed
from dashboard import embeds
from dashboard.filters import DASHBOARD_QUERY, TIMELINE_QUERY

from .framing import embeddable

app_name = "embed"
urlpatterns = [
    path("figure-6/", public_page(embeddable(embeds.figure6), DASHBOARD_QUERY), name="figure6"),
    path("timeline/", public_page(embeddable(embeds.timeline), TIMELINE_QUERY), name="timeline"),
    path(
        "cities/<slug:slug>/timeline/",
        public_page(embeddable(city_timeline_embed)),
        name="city-timeline",
    ),
]
