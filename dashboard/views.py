from django.http import HttpResponse
from django.shortcuts import render

from . import panels, selectors, tables
from .filters import TimelineForm


def dashboard(request):
    snapshot = selectors.dashboard_snapshot(
        params=request.GET, timeline_slugs=request.GET.getlist("city")
    )
    context = {
        "snapshot": snapshot,
        "snapshot_as_of": snapshot.as_of,
        "filter": snapshot.filterset,
        "panels": panels.dashboard_panels(snapshot, request.GET),
        "stage_counts": tables.stage_counts_table(
            snapshot.cities, snapshot.stages, as_of=snapshot.as_of
        ),
        "published_counts": tables.published_counts_table(snapshot.published_counts),
        "type_links": panels.matrix_type_links(snapshot, request.GET),
        "initiatives_table": snapshot.matrix.selected_type
        and tables.initiatives_table(snapshot.matrix),
        "initiatives_csv": panels.initiatives_csv_url(request.GET),
    }
    return render(request, "dashboard/dashboard.html", context)


def chart_csv(request, chart: str):
    snapshot = selectors.dashboard_snapshot(
        params=request.GET, timeline_slugs=request.GET.getlist("city")
    )
    table = panels.csv_table(snapshot, chart)
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    filename = f"compact-tracker-{chart}-{snapshot.as_of:%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def timeline(request):
    form = TimelineForm(request.GET)
    selection = form.selection()
    timeline, stages, sources = selectors.city_timeline(**selection)
    panel = panels.timeline_panel(timeline, stages, sources, request.GET)
    context = {
        "form": form,
        "panel": panel,
        "snapshot_as_of": selection["as_of"],
        "timeline_slugs": selection["slugs"],
    }
    return render(request, "dashboard/timeline.html", context)
