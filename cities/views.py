import dataclasses

from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, render
from django.urls import reverse

from charts import panels
from common import dates
from compacts import selectors as record
from compacts.models import Stage

from . import selectors
from .filters import CityDirectoryFilter
from .models import City
from .summaries import city_summary
from .timelines import city_timeline, profile_timeline

DIRECTORY_PAGE_SIZE = 20
# The query parameters the directory reads (and nothing else: see caching.decorators).
DIRECTORY_QUERY = (*CityDirectoryFilter.base_filters, "page")


def city_list(request):
    """Home: an overview (stages, losses, freshness, newest changes), then every city: those
    with a published stage in a table, the others in one compact list."""
    return render(request, "cities/city_list.html", {"overview": selectors.home_overview()})


def city_directory(request):
    city_filter = CityDirectoryFilter(request.GET or None, queryset=selectors.city_directory())
    page = Paginator(city_filter.qs, DIRECTORY_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "filter": city_filter,
        "page": page,
        "query": query.urlencode(),
        # No column of dashes: Trend shows only when a city on the page has one.
        "show_trend": any(city.trend for city in page.object_list),
    }
    return render(request, "cities/city_directory.html", context)


def city_detail(request, slug: str):
    city = selectors.city_profile(slug=slug)
    as_of = dates.current_month_end()
    stages = list(Stage.objects.order_by("order"))
    # The timeline from what the profile already loaded: no second read of the same rows.
    panel = _timeline_panel(city.slug, *profile_timeline(city, as_of, stages), stages)
    summary = city_summary(
        city_name=city.name,
        assessments=city.published_assessments,
        findings=list(city.trajectory_findings.all()),
        as_of=as_of,
    )
    context = {
        "city": city,
        "summary": summary,
        "panel": panel,
        "revisions": record.city_revision_log(city=city),
        "snapshot_as_of": as_of,
        "canonical_url": request.build_absolute_uri(city.get_absolute_url()),
    }
    return render(request, "cities/city_detail.html", context)


def _timeline_panel(slug: str, timeline, sources, stages):
    """The city's stage timeline as a panel. Pages draw it as of this month (not today: the
    page changes with the data or the month, never daily)."""
    csv_url = reverse("dashboard:chart-csv", args=["timeline"]) + f"?city={slug}"
    panel = panels.timeline_panel(timeline, stages, sources, csv_url)
    embed = reverse("cities:city-timeline-embed", args=[slug])
    return dataclasses.replace(panel, embed_url=embed)


def city_timeline_embed(request, slug: str):
    """The city's timeline for other sites to frame: chart, caption, sources, a link back."""
    city = get_object_or_404(City, slug=slug)
    as_of = dates.current_month_end()
    timeline, stages, sources = city_timeline(slugs=[city.slug], as_of=as_of)
    panel = _timeline_panel(city.slug, timeline, sources, stages)
    context = {
        "panel": panel,
        "dateline": panels.embed_dateline(panel.sources, as_of),
        "page_url": request.build_absolute_uri(city.get_absolute_url()),
    }
    return render(request, "embed/chart.html", context)


def research_findings(request):
    """What the research found beyond any one city, each finding with its sources."""
    context = {
        "groups": record.research_findings(),
        "network_initiatives": record.network_initiatives(),
    }
    return render(request, "cities/research_findings.html", context)
