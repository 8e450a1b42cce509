"""Embeddable versions of the public charts: the chart, its caption, a source line and a
link back, with no site chrome, for articles and reports. Public data only; compare and
cohorts stay with signed-in funders."""

from django.shortcuts import render

from charts.panels import embed_dateline
from cities.timelines import city_timeline

from . import presenters, selectors
from .filters import TimelineForm, permalink_query


def figure6(request):
    snapshot = selectors.dashboard_snapshot(params=request.GET)
    query = permalink_query(request.GET, snapshot.filterset.form)
    panel = presenters.progress_panel(snapshot, query)
    context = {
        "panel": panel,
        "dateline": embed_dateline(panel.sources, snapshot.as_of),
        "page_url": request.build_absolute_uri(
            presenters.url_with_query("dashboard:dashboard", query)
        ),
    }
    return render(request, "embed/chart.html", context)


def timeline(request):
    form = TimelineForm(request.GET)
    selection = form.selection()
    query = permalink_query(request.GET, form)
    timeline, stages, sources = city_timeline(**selection)
    context = {
        "panel": presenters.dashboard_timeline_panel(timeline, stages, sources, query),
        "dateline": embed_dateline(sources, selection["as_of"]),
        "page_url": request.build_absolute_uri(
            presenters.url_with_query("dashboard:timeline", query)
        ),
    }
    return render(request, "embed/chart.html", context)
