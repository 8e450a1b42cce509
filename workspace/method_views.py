"""Views of the research-method pages: calibration, the coverage planner and its CSV.
Fetch with ``calibration`` and ``coverage``, write with their services, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import StreamingHttpResponse
from django.shortcuts import redirect, render

from accounts import roles
from accounts.roles import lead_required, researcher_required
from cities.models import City

from . import calibration, coverage
from .method_forms import AssignmentForm, VignetteForm, VignetteRatingForm

PLANNER_PAGE_SIZE = 25


def _refuse(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# Calibration --------------------------------------------------------------------------


@researcher_required
def calibration_home(request):
    is_lead = roles.is_lead(request.user)
    context = {
        "vignettes": calibration.vignettes_for(user=request.user),
        "own": calibration.calibration_for(user=request.user),
        "everyone": calibration.calibrations().values() if is_lead else None,
        "is_lead": is_lead,
        "min_cases": settings.CALIBRATION_MIN_CASES,
    }
    return render(request, "workspace/calibration.html", context)


@lead_required
def vignette_create(request):
    form = VignetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vignette = calibration.vignette_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Vignette saved: researchers can now rate it blind.")
            return redirect("workspace:vignette-detail", pk=vignette.pk)
    return render(request, "workspace/vignette_form.html", {"form": form})


@researcher_required
def vignette_detail(request, pk: int):
    vignette = calibration.vignette_detail(pk=pk)
    own = calibration.own_vignette_rating(vignette=vignette, user=request.user)
    form = VignetteRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calibration.vignette_rate(
                user=request.user, vignette=vignette, stage=form.cleaned_data["stage"]
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Rating saved. Here is the intended stage and why.")
            return redirect("workspace:vignette-detail", pk=pk)
    context = {
        "vignette": vignette,
        "own": own,
        "form": form,
        "answer": calibration.may_see_answer(
            vignette=vignette, user=request.user, rated=own is not None
        ),
    }
    return render(request, "workspace/vignette_detail.html", context)


# Coverage planner ---------------------------------------------------------------------


def _coverage(request, *, filled: bool = False):
    filters = coverage.CoverageFilter(request.GET or None, queryset=City.objects.all())
    rows = coverage.coverage_rows(cities=filters.qs, show=filters.rule, filled=filled)
    return filters, rows


@researcher_required
def coverage_planner(request):
    filters, rows = _coverage(request)
    page = Paginator(rows, PLANNER_PAGE_SIZE).get_page(request.GET.get("page"))
    coverage.fill_rows(page.object_list)
    context = {
        "filters": filters,
        "page": page,
        "count": len(rows),
        "query": _query_without_page(request),
        "is_lead": roles.is_lead(request.user),
    }
    return render(request, "workspace/coverage.html", context)


@researcher_required
def coverage_csv(request):
    _filters, rows = _coverage(request, filled=True)
    response = StreamingHttpResponse(
        coverage.csv_lines(rows), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="coverage-planner.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


@lead_required
def assignment_create(request):
    periods = coverage.planner_periods()
    initial = {key: request.GET.get(key) for key in ("city", "period")}
    form = AssignmentForm(request.POST or None, initial=initial, periods=periods)
    if request.method == "POST" and form.is_valid():
        try:
            coverage.assignment_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            data = form.cleaned_data
            messages.success(
                request,
                f"{data['researcher'].get_username()} is assigned to {data['city'].name}, "
                f"{data['period'].label}.",
            )
            return redirect("workspace:coverage")
    return render(request, "workspace/assignment_form.html", {"form": form})


def _query_without_page(request) -> str:
    """The filters of this request as a query string ending in "&", for page links."""
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""
