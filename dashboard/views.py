import dataclasses

from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render

from accounts.roles import funder_required
from charts import tables
from cities.timelines import city_timeline

from . import cohort_selectors, compare_selectors, presenters, selectors
from .filters import AsOfForm, CompareForm, TimelineForm, permalink_query
from .loss_counts import loss_counts


def dashboard(request):
    snapshot = selectors.dashboard_snapshot(
        params=request.GET, timeline_slugs=request.GET.getlist("city")
    )
    query = permalink_query(request.GET, snapshot.filterset.form)
    context = {
        "snapshot": snapshot,
        "snapshot_as_of": snapshot.as_of,
        "filter": snapshot.filterset,
        # Absolute: the "Cite this" box shows it too.
        "permalink": request.build_absolute_uri(
            presenters.url_with_query("dashboard:dashboard", query)
        ),
        "map_url": presenters.url_with_query("dashboard:map", presenters.snapshot_only(query)),
        "panels": presenters.dashboard_panels(snapshot, query),
        "stage_counts": tables.stage_counts_table(
            snapshot.cities, snapshot.stages, as_of=snapshot.as_of
        ),
        "published_counts": tables.published_counts_table(snapshot.published_counts),
        "loss_counts": loss_counts(
            as_of=snapshot.as_of, findings=snapshot.known_findings, figures=snapshot.known_figures
        ),
        "type_links": presenters.matrix_type_links(snapshot, query),
        "initiatives_table": snapshot.matrix.selected_type
        and tables.initiatives_table(snapshot.matrix),
        "initiatives_csv": presenters.initiatives_csv_url(query),
        "earliest": _offer_if_unassessed(snapshot.cities, query, snapshot.as_of, snapshot.city_ids),
    }
    return render(request, "dashboard/dashboard.html", context)


def locality_map(request):
    snapshot = selectors.dashboard_snapshot(params=request.GET)
    query = permalink_query(request.GET, snapshot.filterset.form)
    context = {
        "snapshot": snapshot,
        "snapshot_as_of": snapshot.as_of,
        "filter": snapshot.filterset,
        "panel": presenters.map_panel(snapshot, query),
        "permalink": request.build_absolute_uri(presenters.url_with_query("dashboard:map", query)),
        "permalink_query": query.urlencode(),
    }
    return render(request, "dashboard/map.html", context)


def _offer_if_unassessed(cities, params, as_of, city_ids=None):
    """A date before any assessment of the cities shown: say so, offer the earliest month.
    Costs a query only then."""
    if not cities or any(city.assessed for city in cities):
        return None
    return presenters.earliest_offer(params=params, as_of=as_of, city_ids=city_ids)


def chart_csv(request, chart: str):
    snapshot = selectors.dashboard_snapshot(
        params=request.GET, timeline_slugs=request.GET.getlist("city")
    )
    if refused := _refused(snapshot.filterset.form.errors):
        return refused
    return _csv_response(presenters.csv_table(snapshot, chart), chart, snapshot.as_of)


def _refused(errors: dict) -> HttpResponse | None:
    """A CSV's answer to input its form did not accept (``errors``), else None. A file is
    read by a program that sees no warning: refuse rather than quietly answering with other
    filters or this month (the pages say it in a banner)."""
    if not errors:
        return None
    return HttpResponseBadRequest(
        "Not understood, nothing exported: "
        + "; ".join(f"{name}: {' '.join(messages)}" for name, messages in errors.items()),
        content_type="text/plain; charset=utf-8",
    )


def _csv_response(table: tables.DataTable, name: str, as_of) -> HttpResponse:
    response = HttpResponse(table.to_csv(), content_type="text/csv; charset=utf-8")
    filename = f"compact-tracker-{name}-{as_of:%Y-%m}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def timeline(request):
    form = TimelineForm(request.GET)
    selection = form.selection()
    query = permalink_query(request.GET, form)
    timeline, stages, sources = city_timeline(**selection)
    panel = dataclasses.replace(
        presenters.dashboard_timeline_panel(timeline, stages, sources, query),
        embed_url=presenters.url_with_query("embed:timeline", query),
    )
    context = {
        "form": form,
        "panel": panel,
        "permalink": request.build_absolute_uri(
            presenters.url_with_query("dashboard:timeline", query)
        ),
        "snapshot_as_of": selection["as_of"],
        "timeline_slugs": selection["slugs"],
        "earliest": _offer_if_unassessed(
            timeline.cities, query, selection["as_of"], [c.pk for c in timeline.cities]
        ),
    }
    return render(request, "dashboard/timeline.html", context)


@funder_required
def compare(request):
    form = CompareForm(request.GET)
    selection = form.selection()
    query = presenters.selection_query(**selection)
    timeline, stages, sources = city_timeline(**selection)
    cities = compare_selectors.city_comparison(**selection)
    context = {
        "form": form,
        "chosen": selection["slugs"],
        "cities": cities,
        "not_assessed": [city for city in cities if not city.assessed],
        "panel": presenters.dashboard_timeline_panel(timeline, stages, sources, query),
        "comparison": tables.comparison_table(cities, as_of=selection["as_of"]),
        "comparison_csv": presenters.url_with_query("dashboard:compare-csv", query),
        # The cities actually shown, not the ones left out: the page to cite.
        "permalink": request.build_absolute_uri(
            presenters.url_with_query("dashboard:compare", query)
        ),
        "snapshot_as_of": selection["as_of"],
        "earliest": _offer_if_unassessed(
            timeline.cities, query, selection["as_of"], [c.pk for c in timeline.cities]
        ),
    }
    return render(request, "dashboard/compare.html", context)


@funder_required
def compare_csv(request):
    form = CompareForm(request.GET)
    selection = form.selection()
    # A month not understood is refused; cities beyond six or unknown are left out as the
    # page leaves them out (its CSV link carries the cities it kept).
    if refused := _refused({k: v for k, v in form.errors.items() if k != "city"}):
        return refused
    cities = compare_selectors.city_comparison(**selection)
    table = tables.comparison_table(cities, as_of=selection["as_of"])
    return _csv_response(table, "compare", selection["as_of"])


@funder_required
def cohorts(request):
    form = AsOfForm(request.GET)
    as_of = form.as_of_date()
    cohorts, stages, sources = cohort_selectors.cohort_progress(as_of=as_of)
    query = presenters.selection_query(as_of=as_of)
    context = {
        "form": form,
        "cohorts": cohorts,
        "panel": presenters.funder_cohort_panel(cohorts, stages, sources, query, as_of=as_of),
        "snapshot_as_of": as_of,
        "earliest": None
        if sources.newest_period
        else presenters.earliest_offer(params=query, as_of=as_of),
    }
    return render(request, "dashboard/cohorts.html", context)


@funder_required
def cohorts_csv(request):
    form = AsOfForm(request.GET)
    as_of = form.as_of_date()
    if refused := _refused(form.errors):
        return refused
    cohorts, _, _ = cohort_selectors.cohort_progress(as_of=as_of)
    return _csv_response(tables.cohort_table(cohorts), "cohorts", as_of)
