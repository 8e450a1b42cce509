"""/embed/: the dashboard's charts for other sites to frame (see common/framing.py)."""

from django.urls import path

from caching.decorators import public_page
from common.framing import embeddable

from . import embeds
from .filters import DASHBOARD_QUERY, TIMELINE_QUERY

app_name = "embed"
urlpatterns = [
    path("figure-6/", public_page(embeddable(embeds.figure6), DASHBOARD_QUERY), name="figure6"),
    path("timeline/", public_page(embeddable(embeds.timeline), TIMELINE_QUERY), name="timeline"),
]
