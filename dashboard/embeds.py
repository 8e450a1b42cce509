"""Embeddable versions of the public charts: the chart, its caption, a source line and a
link back, with no site chrome, for articles and reports. Public data only; compare and
cohorts stay with signed-in funders."""

from django.shortcuts import render
from django.urls import reverse

from cities.timelines import city_timeline

from . import presenters, selectors
from .filters import TimelineForm


def _page_url(request, name: str) -> str:
    query = request.GET.urlencode()
    return request.build_absolute_uri(reverse(name) + (f"?{query}" if query else ""))


def figure6(request):
    snapshot = selectors.dashboard_snapshot(params=request.GET)
    context = {
        "panel": presenters.progress_panel(snapshot, request.GET),
        "page_url": _page_url(request, "dashboard:dashboard"),
    }
    return render(request, "embed/chart.html", context)


def timeline(request):
    selection = TimelineForm(request.GET).selection()
    timeline, stages, sources = city_timeline(**selection)
    context = {
        "panel": presenters.dashboard_timeline_panel(timeline, stages, sources, request.GET),
        "page_url": _page_url(request, "dashboard:timeline"),
    }
    return render(request, "embed/chart.html", context)
