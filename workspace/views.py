"""Researcher workspace views: fetch with selectors, write with services, render.

Every view is guarded: anonymous users go to the sign-in page, signed-in users without
the role get 403. The export is the one view open to all; it shapes itself by role.
"""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import JsonResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from accounts import roles
from accounts.redirects import next_url
from accounts.roles import lead_required, researcher_required
from charts.agreement_chart import agreement_over_time_figure
from sources.matching import search_passages

from . import agreement, calibration, coverage, csv_export, csv_import, selectors, services
from .forms import (
    AssessmentForm,
    EvidenceFormSet,
    ImportForm,
    InterviewForm,
    PublishForm,
    RatingForm,
    ReconcileForm,
    SourceForm,
    UnpublishForm,
    with_one_more_evidence_row,
)

PAGE_SIZE = 25
MAX_IMPORT_BYTES = 10 * 1024 * 1024


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def _refuse(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


@researcher_required
def workspace_home(request):
    city, status = request.GET.get("city", ""), request.GET.get("status", "")
    page = selectors.workspace_assessment_page(
        user=request.user,
        city_slug=city,
        status=status,
        page_number=request.GET.get("page"),
        per_page=PAGE_SIZE,
    )
    cities = selectors.cities_for_filter()
    context = {
        "page": page,
        "cities": cities,
        "city": city,
        "unknown_city": _unknown(city, cities),
        "status": status,
        "is_lead": roles.is_lead(request.user),
        "assignments": coverage.assignments_for(user=request.user),
    }
    return render(request, "workspace/workspace_home.html", context)


def _unknown(city: str, cities: list[tuple[str, str]]) -> bool:
    """A city filter naming no city (an old link, a typo): said so, not shown as empty."""
    return bool(city) and city not in {slug for slug, _ in cities}


# Interviews ---------------------------------------------------------------------------


@researcher_required
def interview_list(request):
    q, city = request.GET.get("q", "").strip(), request.GET.get("city", "")
    interviews = selectors.interview_search(q=q, city_slug=city)
    cities = selectors.cities_for_filter()
    context = {
        "page": _page(request, interviews),
        "cities": cities,
        "q": q,
        "city": city,
        "unknown_city": _unknown(city, cities),
    }
    return render(request, "workspace/interview_list.html", context)


@researcher_required
def interview_create(request):
    form = InterviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            interview = services.interview_create(user=request.user, **data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Interview recorded.")
            return redirect("workspace:interview-detail", pk=interview.pk)
    return render(request, "workspace/interview_form.html", {"form": form})


@researcher_required
def interview_detail(request, pk: int):
    interview = selectors.interview_detail(pk=pk)
    context = {
        "interview": interview,
        "history": selectors.interview_history(interview=interview),
        "may_change": services.may_change_interview(user=request.user, interview=interview),
    }
    return render(request, "workspace/interview_detail.html", context)


def _changeable_interview(request, pk: int):
    interview = selectors.interview_detail(pk=pk)
    if not services.may_change_interview(user=request.user, interview=interview):
        raise PermissionDenied
    return interview


@researcher_required
def interview_edit(request, pk: int):
    interview = _changeable_interview(request, pk)
    form = InterviewForm.for_interview(interview, data=request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        version = data.pop("version")
        try:
            services.interview_update(
                user=request.user, interview=interview, expected_version=version, **data
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Interview saved.")
            return redirect("workspace:interview-detail", pk=interview.pk)
    context = {"form": form, "interview": interview}
    return render(request, "workspace/interview_form.html", context)


@researcher_required
def interview_delete(request, pk: int):
    interview = _changeable_interview(request, pk)
    error = None
    if request.method == "POST":
        try:
            services.interview_delete(user=request.user, interview=interview)
        except ValidationError as exc:
            error = exc.messages[0]
        else:
            messages.success(request, "Interview deleted.")
            return redirect("workspace:interview-list")
    context = {"interview": interview, "error": error}
    return render(request, "workspace/interview_confirm_delete.html", context)


# Assessments and ratings --------------------------------------------------------------


@researcher_required
def assessment_create(request):
    form = AssessmentForm(request.POST or None, initial={"city": request.GET.get("city")})
    if request.method == "POST" and form.is_valid():
        period_start, precision = form.cleaned_data["period"]
        try:
            assessment = services.assessment_create(
                user=request.user,
                city=form.cleaned_data["city"],
                period_start=period_start,
                period_precision=precision,
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            return redirect("workspace:rating-edit", pk=assessment.pk)
    return render(request, "workspace/assessment_form.html", {"form": form})


@researcher_required
def assessment_detail(request, pk: int):
    assessment = selectors.assessment_detail(pk=pk)
    ratings = selectors.visible_ratings(assessment=assessment, user=request.user)
    consensus_visible = selectors.may_see_consensus(assessment=assessment, user=request.user)
    context = {
        "assessment": assessment,
        "consensus_visible": consensus_visible,
        "consensus_note": selectors.consensus_note(assessment=assessment)
        if consensus_visible
        else "",
        "ratings": ratings,
        "own": next((r for r in ratings if r.rater_id == request.user.pk), None),
        "blind": not selectors.may_see_all_ratings(assessment=assessment, user=request.user),
        "history": selectors.assessment_history(
            assessment=assessment, ratings=ratings, consensus_visible=consensus_visible
        ),
        "revisions": selectors.assessment_revisions(assessment=assessment),
        "is_lead": roles.is_lead(request.user),
        "calibrations": calibration.by_rating(ratings) if roles.is_lead(request.user) else {},
        "insubstantial": [e for r in ratings for e in r.evidence.all() if not e.substantive],
        "evidence_min_words": settings.EVIDENCE_MIN_WORDS,
    }
    return render(request, "workspace/assessment_detail.html", context)


def _evidence_inputs(formset) -> list[services.EvidenceInput]:
    return [
        services.EvidenceInput(
            interview=f.cleaned_data.get("interview"),
            source=f.cleaned_data.get("source"),
            quote=f.cleaned_data.get("quote", ""),
            location=f.cleaned_data.get("location", ""),
        )
        for f in formset.forms
        if f.cleaned_data
        and not f.cleaned_data.get("DELETE")
        and (f.cleaned_data.get("interview") or f.cleaned_data.get("source"))
    ]


@researcher_required
def rating_edit(request, pk: int):
    assessment = selectors.assessment_detail(pk=pk)
    rating = selectors.own_rating(assessment=assessment, user=request.user)
    initial, evidence_initial = selectors.rating_form_initial(rating)
    data = request.POST if request.method == "POST" else None
    adding = data is not None and "add_evidence" in data
    if adding:  # the same page again, one evidence row more
        data = with_one_more_evidence_row(data)
    form = RatingForm(data, initial=initial)
    formset = EvidenceFormSet(
        data, initial=evidence_initial, prefix="evidence", form_kwargs={"city": assessment.city}
    )
    if data is not None and not adding and form.is_valid() and formset.is_valid():
        try:
            services.rating_submit(
                user=request.user,
                assessment=assessment,
                stage=form.cleaned_data["stage"],
                rationale=form.cleaned_data["rationale"],
                confidence=form.cleaned_data["confidence"],
                evidence=_evidence_inputs(formset),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Your rating of {_named(assessment)} is saved.")
            return redirect("workspace:assessment-detail", pk=assessment.pk)
    context = {
        "assessment": assessment,
        "rating": rating,
        "others_rated": rating is not None
        and selectors.others_have_rated(assessment=assessment, user=request.user),
        "form": form,
        "formset": formset,
        "rubric": selectors.stage_rubric(),
    }
    return render(request, "workspace/rating_form.html", context)


@researcher_required
def source_create(request):
    form = SourceForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            source = services.source_create(
                user=request.user, title=data["title"], kind=data["kind"],
                authors=data["authors"], url=data["url"], text=data.get("text", ""),
                origin=data.get("origin", ""), file_name=data.get("file_name", ""),
                file_data=data.get("file_data"),
            )  # fmt: skip
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, _source_added(source))
            return redirect(next_url(request, "workspace:workspace"))
    return render(request, "workspace/source_form.html", {"form": form})


def _source_added(source) -> str:
    if source.reading_note:
        return (
            f"Source added, {source.reading_note} Until the text is read its quotes are saved"
            " as unverified; the Sources page shows how it went."
        )
    held = "with its text" if source.has_text else "without text: its quotes are unverified"
    return f"Source added {held}."


@researcher_required
def source_list(request):
    sources = selectors.sources_with_text_state()
    return render(request, "workspace/source_list.html", {"sources": sources})


@researcher_required
def source_passages(request, pk: int):
    """The quote picker's search: sentences of a source's text holding every word of ``q``,
    exactly as stored, with where they sit. JSON, for researchers only."""
    source = selectors.source_with_text(pk=pk)
    query = request.GET.get("q", "")[:200]
    found = search_passages(source.text, query) if source.has_text else []
    return JsonResponse(
        {
            "source": source.title,
            "has_text": source.has_text,
            "reading_note": source.reading_note,
            "query": query,
            "passages": [{"text": p.text, "location": p.location} for p in found],
        }
    )


# Reconciliation and publishing (leads) ------------------------------------------------


def _reconcile_page(request, assessment, **forms):
    version = {"version": assessment.version}
    ratings = selectors.visible_ratings(assessment=assessment, user=request.user)
    context = {
        "assessment": assessment,
        "ratings": ratings,
        "spread": agreement.spread(r.stage.order for r in ratings),
        "first_spread": agreement.spread(r.first_stage.order for r in ratings),
        "any_changed": any(r.changed_after_seeing_others for r in ratings),
        "coverage": selectors.evidence_coverage(assessment=assessment),
        "reconcile_form": forms.get("reconcile_form")
        or ReconcileForm(
            initial={
                **version,
                "consensus_stage": assessment.consensus_stage_id,
                "consensus_note": selectors.consensus_note(assessment=assessment),
            },
            published=assessment.is_published,
        ),
        "publish_form": forms.get("publish_form") or PublishForm(initial=version),
        "unpublish_form": forms.get("unpublish_form") or UnpublishForm(initial=version),
    }
    return render(request, "workspace/assessment_reconcile.html", context)


@lead_required
def assessment_reconcile(request, pk: int):
    assessment = selectors.assessment_detail(pk=pk)
    if request.method != "POST":
        return _reconcile_page(request, assessment)
    form = ReconcileForm(request.POST, published=assessment.is_published)
    if form.is_valid():
        try:
            services.assessment_reconcile(
                user=request.user,
                assessment=assessment,
                consensus_stage=form.cleaned_data["consensus_stage"],
                consensus_note=form.cleaned_data["consensus_note"],
                reason=form.cleaned_data.get("reason", ""),
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"Consensus saved for {_named(assessment)}.")
            return redirect("workspace:assessment-reconcile", pk=pk)
    return _reconcile_page(request, selectors.assessment_detail(pk=pk), reconcile_form=form)


def _named(assessment) -> str:
    """ "Boston's 2019 assessment": what a message says changed."""
    return f"{assessment.city.name}'s {assessment.period_label} assessment"


@lead_required
@require_POST
def assessment_publish(request, pk: int):
    assessment = selectors.assessment_detail(pk=pk)
    form = PublishForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_publish(
                user=request.user,
                assessment=assessment,
                reason=form.cleaned_data["reason"],
                override_reason=form.cleaned_data["override_reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(
                request,
                f"{_named(assessment)} ({assessment.consensus_stage.name}) is now public.",
            )
            return redirect("workspace:assessment-reconcile", pk=pk)
    return _reconcile_page(request, assessment, publish_form=form)


@lead_required
@require_POST
def assessment_unpublish(request, pk: int):
    assessment = selectors.assessment_detail(pk=pk)
    form = UnpublishForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_unpublish(
                user=request.user,
                assessment=assessment,
                reason=form.cleaned_data["reason"],
                expected_version=form.cleaned_data["version"],
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, f"{_named(assessment)} is a draft again, no longer public.")
            return redirect("workspace:assessment-reconcile", pk=pk)
    return _reconcile_page(request, assessment, unpublish_form=form)


@lead_required
@require_POST
def evidence_verify(request, pk: int):
    """A lead marks an unverified source quote as checked against the source."""
    evidence = selectors.evidence_detail(pk=pk)
    try:
        services.evidence_verify(user=request.user, evidence=evidence)
    except ValidationError as error:
        messages.error(request, error.messages[0])
    else:
        messages.success(request, "Quote marked verified: it now counts toward publishing.")
    return redirect("workspace:assessment-reconcile", pk=evidence.rating.assessment_id)


@lead_required
def agreement_overview(request):
    overview = selectors.agreement_overview()
    over_time = selectors.agreement_over_time()
    context = {
        "overview": overview,
        "page": _page(request, overview.rows),
        "over_time": over_time,
        "over_time_figure": agreement_over_time_figure(over_time.points),
        "min_cases": settings.CALIBRATION_MIN_CASES,
    }
    return render(request, "workspace/agreement.html", context)


# CSV ----------------------------------------------------------------------------------


def export_csv(request):
    """Researchers and leads get every assessment with the ratings they may see; everyone
    else is sent to the public CSV of published assessments, which used to live here."""
    if not roles.is_researcher(request.user):
        # Temporary, not permanent: a browser must not remember it for a researcher later.
        return redirect("cities:assessments-csv")
    response = StreamingHttpResponse(
        csv_export.export_lines(user=request.user), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = 'attachment; filename="compact-tracker-ratings.csv"'
    response["Cache-Control"] = "private, no-store"
    response["Vary"] = "Cookie"
    return response


@researcher_required
def import_ratings(request):
    form = ImportForm(request.POST or None, request.FILES or None)
    failure = result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            form.add_error("file", "The file is larger than 10 MB; use the import command.")
        else:
            try:
                # The upload (in memory, or a temporary file past 2.5 MB) is read as a stream.
                result = csv_import.import_ratings(file=upload.file, user=request.user)
            except csv_import.ImportFailed as exc:
                failure = exc
    context = {
        "form": form,
        "failure": failure,
        "result": result,
        "columns": csv_import.COLUMNS,
        "required": csv_import.REQUIRED_COLUMNS,
    }
    return render(request, "workspace/import.html", context)
