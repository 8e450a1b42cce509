"""/embed/: the public charts for other sites to frame (see config/framing.py)."""

from django.urls import path

from caching.decorators import public_page
from cities.views import city_timeline_embed
from dashboard import embeds

from .framing import embeddable

app_name = "embed"
urlpatterns = [
    path("figure-6/", public_page(embeddable(embeds.figure6)), name="figure6"),
    path("timeline/", public_page(embeddable(embeds.timeline)), name="timeline"),
    path(
        "cities/<slug:slug>/timeline/",
        public_page(embeddable(city_timeline_embed)),
        name="city-timeline",
    ),
]
