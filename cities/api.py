"""Read-only JSON of the published data: cities, assessments, initiatives.

Public, like the pages: only published assessments, never ratings, drafts or interviews.
Every list is paginated: ``?page=N`` and ``?page_size=N`` (at most 200). The cities answer
``?as_of=YYYY-MM`` with what was known by the end of that month (default: this month).
"""

import datetime
import re

from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import HttpResponsePermanentRedirect, JsonResponse, StreamingHttpResponse
from django.urls import Resolver404, resolve

from common import dates
from compacts.claims import current_claims
from compacts.models import TrajectoryFinding

from . import assessments_csv, selectors
from .models import City

DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE = 50, 200
PAGING = ("page", "page_size")  # the query parameters every list reads
AS_OF = "as_of"
BAD_AS_OF = "as_of must be a month as YYYY-MM, this month or an earlier one"


def _as_of(request) -> datetime.date | None:
    """The month ``?as_of=YYYY-MM`` names (its last day), this month when absent; None when
    it is not a month or lies in the future."""
    value = request.GET.get(AS_OF, "").strip()
    if not value:
        return dates.current_month_end()
    # Exactly YYYY-MM, as the dashboard's month field reads it (not "1-01" or "2016-6").
    if not re.fullmatch(r"\d{4}-\d{2}", value):
        return None
    try:
        as_of = dates.month_end(datetime.date(int(value[:4]), int(value[5:]), 1))
    except ValueError:  # month 00 or 13
        return None
    return as_of if as_of <= dates.current_month_end() else None


def _bad_as_of() -> JsonResponse:
    return JsonResponse({"error": BAD_AS_OF}, status=400)


def _paginated(request, queryset, serialize, prepare=None) -> JsonResponse:
    """One page of ``queryset`` as JSON; ``prepare(items)``, when given, runs once on the
    page's items before each is serialized (a query for the whole page, not one each)."""
    try:
        page_size = min(int(request.GET.get("page_size", DEFAULT_PAGE_SIZE)), MAX_PAGE_SIZE)
        number = int(request.GET.get("page", 1))
        if page_size < 1 or number < 1:
            raise ValueError
        page = Paginator(queryset, page_size).page(number)
    except (ValueError, PageNotAnInteger):
        return JsonResponse(
            {"error": "page and page_size must be positive whole numbers"}, status=400
        )
    except EmptyPage:
        return JsonResponse({"error": "that page does not exist"}, status=404)

    def link(number):
        query = request.GET.copy()
        query["page"] = number
        return request.build_absolute_uri(f"{request.path}?{query.urlencode()}")

    items = list(page.object_list)
    if prepare is not None:
        prepare(items)
    return JsonResponse(
        {
            "count": page.paginator.count,
            "next": link(page.next_page_number()) if page.has_next() else None,
            "previous": link(page.previous_page_number()) if page.has_previous() else None,
            "results": [serialize(request, item) for item in items],
        }
    )


def _city(request, city: City) -> dict:
    compact = getattr(city, "compact", None)
    return {
        "slug": city.slug,
        "name": city.name,
        "state": city.state,
        "entity_name": city.entity_name,
        "kind": city.kind,
        "url": request.build_absolute_uri(city.get_absolute_url()),
        "compact": compact
        and {
            "program": compact.program,
            "name": compact.name,
            "signing_year": compact.signing_year,
            "signing_grant_usd": compact.signing_grant_usd,
            "significant_funding": compact.significant_funding,
            "portfolio_at_signing": compact.portfolio_at_signing,
        },
        "current_stage": city.current_stage_name,
        "current_stage_order": city.current_stage_order,
        "current_period_start": city.current_period_start,
        "current_stage_provenance": city.current_stage_provenance,
        # How sure the current stage is (charts.claims.CLAIM_COLUMNS); null when not assessed.
        "current_stage_claim": claim.as_dict() if (claim := getattr(city, "claim", None)) else None,
        "peak_stage_order": city.peak_stage_order,
        # True for a firm loss only (loss status "yes"), as older clients read it.
        "backslid": city.backslid,
        "backslid_status": city.loss_status,
        "trend": city.trend or None,
    }


def _assessment(request, assessment) -> dict:
    return {
        "city": assessment.city.slug,
        "period_start": assessment.period_start,
        "period_precision": assessment.period_precision,
        "period": assessment.period_label,
        "stage": assessment.consensus_stage.name,
        "stage_order": assessment.consensus_stage.order,
        "stage_provenance": assessment.stage_provenance,
        "stage_confidence": assessment.stage_confidence or None,
        "stage_reasoning": assessment.stage_reasoning or None,
        "published_at": assessment.published_at,
        # Basis, confidence, the researchers' range and evidence per side, as in every CSV.
        **assessment.claim.as_dict(),
    }


def _initiative(request, initiative) -> dict:
    return {
        "key": initiative.key,
        "city": initiative.city.slug if initiative.city_id else None,
        "network": initiative.network or None,
        "title": initiative.title,
        "type": initiative.type.label,
        "cost": initiative.type.cost or None,
        "benefit": initiative.type.benefit or None,
        "status": initiative.current_status,
        "status_as_of_year": getattr(initiative, "current_status_year", None),
        "start_year": initiative.start_year,
        "end_year": initiative.end_year,
        "years_as_written": initiative.years_as_written,
        "figures": [
            {"metric": figure.metric, "value": float(figure.value), "as_of_year": figure.as_of_year}
            for figure in initiative.figures.all()
        ],
    }


def _finding(finding: TrajectoryFinding) -> dict:
    return {
        "direction": finding.direction,
        "naming": finding.naming,
        "summary": finding.summary,
        "period_start": finding.period_start,
        "period_precision": finding.period_precision,
        "period": dates.finding_period_label(
            finding.period_as_written, finding.period_start, finding.period_precision
        ),
    }


def index(request):
    """This list: every public JSON and CSV endpoint with its address."""
    from .urls import urlpatterns  # the URL conf is the one list of endpoints

    endpoints = []
    for pattern in urlpatterns:
        route = str(pattern.pattern)
        if not route.startswith("api/") or route in {"api/", NOT_FOUND_ROUTE}:
            continue
        # A route with a slug is a template: "{slug}" is where the city's slug goes.
        template = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", route)
        endpoints.append(
            {
                "name": pattern.name,
                "url": request.build_absolute_uri("/") + template,
                "description": (pattern.callback.__doc__ or "").strip().split("\n")[0],
            }
        )
    return JsonResponse({"endpoints": endpoints})


NOT_FOUND_ROUTE = "api/<path:rest>"
NOT_FOUND = "no such API endpoint; /api/ lists them"


def not_found(request, rest: str):
    """Any other address under /api/: a JSON 404 pointing at the index (an address that
    only lacks its closing slash is sent to it, as Django would for a page)."""
    if not request.path.endswith("/"):
        try:
            match = resolve(f"{request.path}/")
        except Resolver404:
            match = None
        if match and match.url_name != "api-not-found":
            return HttpResponsePermanentRedirect(f"{request.path}/")
    return JsonResponse(
        {"error": NOT_FOUND, "index": request.build_absolute_uri("/api/")}, status=404
    )


def _attach_claims(cities: list[City]) -> None:
    """Attach each city's current claim (``compacts.claims.current_claims``): one query."""
    claims = current_claims(
        {city.pk: city.current_period_start for city in cities if city.current_period_start}
    )
    for city in cities:
        city.claim = claims.get(city.pk)


def city_list(request):
    """Every city: compact, current and peak stage, loss status, trend (?as_of=YYYY-MM)."""
    as_of = _as_of(request)
    if as_of is None:
        return _bad_as_of()
    return _paginated(request, selectors.city_directory(as_of=as_of), _city, prepare=_attach_claims)


def city_detail(request, slug: str):
    """One city with its published assessments, findings and initiatives (?as_of=YYYY-MM)."""
    as_of = _as_of(request)
    if as_of is None:
        return _bad_as_of()
    city = selectors.city_directory(as_of=as_of).filter(slug=slug).first()
    if city is None:
        return JsonResponse({"error": f"no city with the slug {slug!r}"}, status=404)
    _attach_claims([city])
    data = _city(request, city)
    data["as_of"] = as_of
    data["assessments"] = [
        _assessment(request, a)
        for a in selectors.published_assessment_list(city_slug=slug).as_of(as_of)
    ]
    # What documents said of its direction, as known by then (their documents were out).
    data["findings"] = [
        _finding(f) for f in TrajectoryFinding.objects.filter(city=city).known_by(as_of)
    ]
    data["initiatives"] = [
        _initiative(request, i) for i in selectors.initiative_list(city_slug=slug)
    ]
    return JsonResponse(data)


def assessment_list(request):
    """Published assessments: period, stage, stated or inferred, confidence (?city=slug)."""
    queryset = selectors.published_assessment_list(city_slug=request.GET.get("city"))
    return _paginated(request, queryset, _assessment)


def initiative_list(request):
    """Initiatives: type, cost and benefit, current status, years, figures (?city=slug)."""
    queryset = selectors.initiative_list(city_slug=request.GET.get("city"))
    return _paginated(request, queryset, _initiative)


def assessment_csv(request):
    """Every published assessment as CSV, one row each (no rating, rater or note)."""
    response = StreamingHttpResponse(
        assessments_csv.lines(), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="compact-tracker-assessments.csv"'
    return response
