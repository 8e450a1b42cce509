"""Reads the researcher workspace needs. Confidential data: callers are researchers.

The one public selector is ``city_revision_log``; it returns published-log entries only
and never the workspace-only override reason's author or interview data.
"""

import datetime
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page, Paginator
from django.db.models import (
    BooleanField,
    Count,
    Exists,
    ExpressionWrapper,
    Max,
    Min,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
)
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts import roles
from charts.agreement_chart import AlphaPoint
from cities.models import City
from common import dates
from common.labels import city_label
from compacts.models import Assessment, RevisionLogEntry, Stage
from sources.models import Citation, Source

from . import agreement
from . import evidence as substance
from .models import (
    ConsensusNote,
    Evidence,
    Interview,
    QuoteCheck,
    Rating,
    RevisionRecord,
    Sector,
)


def visible_ratings_for(*, user) -> QuerySet[Rating]:
    """Blind rating, the one rule every page, export and history asks: a researcher sees
    another researcher's rating of an assessment only once they have submitted their own
    for it; lead researchers reconcile, so they see all; anyone else sees none."""
    if roles.is_lead(user):
        return Rating.objects.all()
    if not roles.is_researcher(user):
        return Rating.objects.none()
    own = Rating.objects.filter(assessment_id=OuterRef("assessment_id"), rater=user)
    return Rating.objects.filter(Exists(own))


def may_see_consensus(*, assessment: Assessment, user) -> bool:
    """Blind rating: on a draft, the consensus stage and the lead's note stay hidden from a
    researcher until they have submitted their own rating (so a lead's early consensus
    cannot steer it). Leads see all; a published stage is public anyway."""
    return assessment.is_published or may_see_all_ratings(assessment=assessment, user=user)


def _listed_assessments(*, city_slug: str = "", status: str = "") -> QuerySet[Assessment]:
    """The workspace list's rows, filtered and in order, with nothing computed yet."""
    queryset = Assessment.objects.order_by("city__name", "-period_start", "pk")
    if city_slug:
        queryset = queryset.filter(city__slug=city_slug)
    if status in Assessment.Status.values:
        queryset = queryset.filter(status=status)
    return queryset


def workspace_assessments(*, user, city_slug: str = "", status: str = "") -> QuerySet[Assessment]:
    """Assessments with whether ``user`` has rated, and the count and stage range of the
    ratings ``user`` may see (none of others' before they rate: blind rating). Whether the
    consensus stage may be shown to ``user`` is ``consensus_visible`` (``may_see_consensus``)."""
    return _with_ratings(_listed_assessments(city_slug=city_slug, status=status), user=user)


def workspace_assessment_page(
    *, user, city_slug: str = "", status: str = "", page_number=None, per_page: int = 25
) -> Page:
    """One page of ``workspace_assessments``: the page's rows are chosen first (filters and
    order only), then only they get their rating figures, so a page costs the same however
    many assessments there are."""
    listed = _listed_assessments(city_slug=city_slug, status=status)
    page = Paginator(listed.values_list("pk", flat=True), per_page).get_page(page_number)
    ids = list(page.object_list)
    rows = {row.pk: row for row in _with_ratings(Assessment.objects.filter(pk__in=ids), user=user)}
    page.object_list = [rows[pk] for pk in ids]
    return page


def _with_ratings(queryset: QuerySet[Assessment], *, user) -> QuerySet[Assessment]:
    # Assessments have no accessor into the workspace: each figure is a subquery from the
    # ratings' side.
    ratings = Rating.objects.filter(assessment=OuterRef("pk")).order_by().values("assessment")
    visible = ratings.filter(pk__in=visible_ratings_for(user=user).values("pk"))
    rated_by_me = Exists(Rating.objects.filter(assessment=OuterRef("pk"), rater=user))
    consensus_visible = Q(status=Assessment.Status.PUBLISHED) | Q(rated_by_me=True)
    if roles.is_lead(user):
        consensus_visible = Q(pk__isnull=False)
    return (
        queryset.select_related("city", "consensus_stage")
        .annotate(
            rating_count=Coalesce(Subquery(visible.annotate(n=Count("pk")).values("n")), 0),
            lowest_order=Subquery(visible.annotate(low=Min("stage__order")).values("low")),
            highest_order=Subquery(visible.annotate(high=Max("stage__order")).values("high")),
            rated_by_me=rated_by_me,
        )
        .annotate(
            consensus_visible=ExpressionWrapper(consensus_visible, output_field=BooleanField())
        )
    )


def interview_search(*, q: str = "", city_slug: str = "") -> QuerySet[Interview]:
    """Interviews matching ``q`` in role, notes, sector or interviewer, newest first."""
    queryset = Interview.objects.select_related("city", "interviewer").order_by(
        "city__name", "-conducted_on", "id"
    )
    if city_slug:
        queryset = queryset.filter(city__slug=city_slug)
    if q:
        queryset = queryset.filter(
            Q(interviewee_role__icontains=q)
            | Q(notes__icontains=q)
            | Q(sector__iexact=q)
            | Q(interviewer__username__icontains=q)
            | Q(city__name__icontains=q)
        )
    return queryset


def interview_detail(*, pk: int) -> Interview:
    return get_object_or_404(Interview.objects.select_related("city", "interviewer"), pk=pk)


def interviews_for_city(*, city: City) -> QuerySet[Interview]:
    return Interview.objects.filter(city=city).order_by("-conducted_on", "id")


def cities_for_filter() -> list[tuple[str, str]]:
    """(slug, label) of every city, by name: what a city select needs, as plain rows (a
    thousand model instances cost more than the page's query)."""
    return [
        (slug, city_label(name, state))
        for slug, name, state in City.objects.order_by("name").values_list("slug", "name", "state")
    ]


def stages() -> QuerySet[Stage]:
    return Stage.objects.order_by("order")


def sources() -> QuerySet[Source]:
    return Source.objects.order_by("title").only("id", "key", "title", "text_status", "text_error")


def sources_with_text_state() -> QuerySet[Source]:
    """Every source for the workspace's list, with whether we hold its text (``text_held``)
    and, for an uploaded file, whether it is being read or could not be read."""
    return (
        Source.objects.order_by("title")
        .only("id", "title", "kind", "url", "text_status", "text_error", "text_origin")
        .annotate(text_held=ExpressionWrapper(~Q(text=""), output_field=BooleanField()))
    )


def source_with_text(*, pk: int) -> Source:
    return get_object_or_404(
        Source.objects.only("id", "title", "text", "text_status", "text_error"), pk=pk
    )


@dataclass(frozen=True)
class RubricEntry:
    stage: Stage
    citations: list[Citation]


def stage_rubric() -> list[RubricEntry]:
    """Each stage with its definition and the documents' words for it (the citations of the
    stage as a whole), for the rating form."""
    cited = Citation.objects.filter(field="").select_related("source").defer("source__text")
    stages = Stage.objects.order_by("order").prefetch_related(Prefetch("citations", cited))
    return [RubricEntry(stage=stage, citations=list(stage.citations.all())) for stage in stages]


def assessment_detail(*, pk: int) -> Assessment:
    return get_object_or_404(Assessment.objects.select_related("city", "consensus_stage"), pk=pk)


_EVIDENCE = Prefetch(
    "evidence",
    queryset=Evidence.objects.select_related("interview", "source", "verified_by")
    .defer("source__text")
    .order_by("id"),
)


def evidence_detail(*, pk: int) -> Evidence:
    return get_object_or_404(Evidence.objects.select_related("rating", "source"), pk=pk)


def rating_form_initial(rating: Rating | None) -> tuple[dict, list[dict]]:
    """What the rating form starts from: ``rating``'s fields and its evidence rows (empty for
    a first rating, which starts with no stage)."""
    if rating is None:
        return {}, []
    initial = {
        "stage": rating.stage_id,
        "confidence": rating.confidence,
        "rationale": rating.rationale,
        "version": rating.version,
    }
    evidence = [
        {
            "interview": e.interview_id,
            "source": e.source_id,
            "quote": e.quote,
            "location": e.location,
        }
        for e in rating.evidence.all()
    ]
    return initial, evidence


def own_rating(*, assessment: Assessment, user) -> Rating | None:
    return (
        Rating.objects.filter(assessment=assessment, rater=user)
        .select_related("stage", "rater")
        .prefetch_related(_EVIDENCE)
        .first()
    )


def may_see_all_ratings(*, assessment: Assessment, user) -> bool:
    """Blind rating (see ``visible_ratings_for``): whether ``user`` sees every rating here."""
    return roles.is_lead(user) or Rating.objects.filter(assessment=assessment, rater=user).exists()


def others_have_rated(*, assessment: Assessment, user) -> bool:
    """Whether someone other than ``user`` has rated ``assessment``: an edit of ``user``'s
    rating would then be changed after seeing others (see ``Rating``)."""
    return Rating.objects.filter(assessment=assessment).exclude(rater=user).exists()


def visible_ratings(*, assessment: Assessment, user) -> list[Rating]:
    """The ratings ``user`` may see on this assessment, with their evidence."""
    return list(
        visible_ratings_for(user=user)
        .filter(assessment=assessment)
        .select_related("stage", "first_stage", "rater")
        .prefetch_related(_EVIDENCE)
        .order_by("rater__username")
    )


@dataclass(frozen=True)
class Coverage:
    """Evidence behind an assessment's ratings, as the publishing rule counts it."""

    district_interviews: int
    charter_interviews: int
    sources: int
    unverified_sources: int = 0
    insubstantial_quotes: int = 0  # source quotes too short to count (``workspace.evidence``)
    # Interviews cited, by every sector (only district and charter count as a side).
    interviews_by_sector: dict[str, int] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        both_sides = self.district_interviews > 0 and self.charter_interviews > 0
        return both_sides or self.sources > 0

    @property
    def needs(self) -> str:
        """What the rule still needs before publishing, in words ("" when complete)."""
        if self.complete:
            return ""
        sides = [
            f"a {side}-side interview"
            for side, count in (
                ("district", self.district_interviews),
                ("charter", self.charter_interviews),
            )
            if not count
        ]
        needs = f"{' and '.join(sides)}, or a checked source passage"
        if self.unverified_sources:
            waiting = self.unverified_sources
            verb = "awaits" if waiting == 1 else "await"
            needs += f" ({waiting} source{pluralize(waiting)} {verb} a lead's check)"
        return needs


def pluralize(count: int) -> str:
    return "" if count == 1 else "s"


def evidence_coverage(*, assessment: Assessment) -> Coverage:
    """Count the evidence for an assessment (see ``evidence_coverages``)."""
    return evidence_coverages(assessment_ids=[assessment.pk])[assessment.pk]


def evidence_coverages(
    *, assessment_ids: list[int], within: QuerySet[Assessment] | None = None
) -> dict[int, Coverage]:
    """Count the evidence for each assessment, in a constant number of queries: interviews
    cited by its ratings, by sector (district and charter sides; every other sector counts
    as neither), and sources cited by its ratings with a substantive quote
    (``workspace.evidence``) found in the source's text or verified by a lead (unverified
    ones are counted apart), or attached to the assessment itself by the seed. Quotes too
    short to support a stage count for nothing.

    With thousands of ids, pass ``within`` too (assessments holding them all, such as a set
    of cities' assessments): the queries then select by it rather than by a long list."""
    ids = list(assessment_ids)
    scope = ids if within is None else within.values("pk")
    evidence = Evidence.objects.filter(rating__assessment_id__in=scope).order_by()
    sectors: dict[int, dict[str, int]] = {pk: {} for pk in ids}
    for assessment_id, sector, count in (
        evidence.filter(interview__isnull=False)
        .values_list("rating__assessment_id", "interview__sector")
        .annotate(n=Count("interview", distinct=True))
    ):
        if assessment_id in sectors:
            sectors[assessment_id][sector] = count
    checked = {pk: set() for pk in ids}
    unverified = {pk: set() for pk in ids}
    insubstantial = dict.fromkeys(ids, 0)
    quotes = evidence.filter(source__isnull=False).values_list(
        "rating__assessment_id", "source_id", "quote", "location", "quote_check"
    )
    for assessment_id, source_id, quote, location, check in quotes:
        if assessment_id not in insubstantial:
            continue
        if not substance.is_substantive(quote=quote, location=location):
            insubstantial[assessment_id] += 1
        elif check == QuoteCheck.UNVERIFIED:
            unverified[assessment_id].add(source_id)
        else:
            checked[assessment_id].add(source_id)
    citations = dict(
        Citation.objects.filter(
            content_type=ContentType.objects.get_for_model(Assessment), object_id__in=scope
        )
        .order_by()
        .values_list("object_id")
        .annotate(n=Count("pk"))
    )
    return {
        pk: Coverage(
            district_interviews=sectors[pk].get(Sector.DISTRICT, 0),
            charter_interviews=sectors[pk].get(Sector.CHARTER, 0),
            sources=len(checked[pk]) + citations.get(pk, 0),
            unverified_sources=len(unverified[pk]),
            insubstantial_quotes=insubstantial[pk],
            interviews_by_sector=sectors[pk],
        )
        for pk in ids
    }


def insubstantial_evidence(*, assessment: Assessment | None = None) -> list[Evidence]:
    """Source quotes already stored that are too short to support a stage under the
    current rule (``workspace.evidence``), oldest assessment first: for the
    ``insubstantial_evidence`` command and the flag on an assessment's page. Nothing is
    deleted; they stay on their ratings and count for nothing."""
    rows = Evidence.objects.filter(source__isnull=False)
    if assessment is not None:
        rows = rows.filter(rating__assessment=assessment)
    rows = rows.select_related(
        "source", "rating__rater", "rating__stage", "rating__assessment__city"
    ).order_by("rating__assessment__city__name", "rating__assessment__period_start", "id")
    return [e for e in rows if not substance.is_substantive(quote=e.quote, location=e.location)]


@dataclass(frozen=True)
class AgreementRow:
    assessment: Assessment
    stages: list[str]
    spread: agreement.Spread


@dataclass(frozen=True)
class AgreementOverview:
    alpha: float | None
    exact: float | None
    pairable_units: int
    ratings: int
    rows: list[AgreementRow] = field(default_factory=list)


def agreement_overview() -> AgreementOverview:
    """Ordinal Krippendorff's alpha and exact agreement over every assessment's ratings,
    with each rated assessment's spread of stages. Each rating counts as first submitted
    (``Rating.first_stage``): a later edit may have been made after seeing the others."""
    by_assessment: dict[int, list[tuple[int, str]]] = {}
    for assessment_id, order, name in Rating.objects.order_by(
        "assessment_id", "rater__username"
    ).values_list("assessment_id", "first_stage__order", "first_stage__name"):
        by_assessment.setdefault(assessment_id, []).append((order, name))
    units = [[order for order, _ in values] for values in by_assessment.values()]
    assessments = Assessment.objects.select_related("city", "consensus_stage").in_bulk(
        list(by_assessment)
    )
    rows = sorted(
        (
            AgreementRow(
                assessment=assessments[pk],
                stages=[name for _, name in values],
                spread=agreement.spread(order for order, _ in values),
            )
            for pk, values in by_assessment.items()
        ),
        key=lambda row: (-(row.spread.steps or 0), str(row.assessment)),
    )
    return AgreementOverview(
        alpha=agreement.krippendorff_alpha(units, level="ordinal"),
        exact=agreement.exact_agreement(units),
        pairable_units=sum(len(unit) >= 2 for unit in units),
        ratings=sum(len(unit) for unit in units),
        rows=rows,
    )


@dataclass(frozen=True)
class AgreementOverTime:
    by_period: dict[int, agreement.AlphaFigure]
    by_pair: dict[tuple[str, str], agreement.AlphaFigure]

    @property
    def points(self) -> list[AlphaPoint]:
        """The per-period figures as the chart takes them."""
        return [
            AlphaPoint(year, figure.alpha, figure.cases, figure.enough)
            for year, figure in self.by_period.items()
        ]


def agreement_over_time() -> AgreementOverTime:
    """Ordinal alpha between researchers per period (the year of the period rated) and per
    pair of researchers, on first submitted ratings, with the number of assessments and
    ``settings.CALIBRATION_MIN_CASES`` as the "not enough cases" rule. One query."""
    rows = Rating.objects.order_by().values_list(
        "assessment_id", "assessment__period_start__year", "rater__username", "first_stage__order"
    )
    by_period, by_pair = agreement.alpha_by_period_and_pair(
        rows, minimum=settings.CALIBRATION_MIN_CASES
    )
    # The pairs with the most assessments in common first: their figures say the most.
    by_pair = dict(sorted(by_pair.items(), key=lambda item: (-item[1].cases, item[0])))
    return AgreementOverTime(by_period=by_period, by_pair=by_pair)


@dataclass(frozen=True)
class Change:
    field: str  # the field's name, e.g. "stage"
    old: str
    new: str
    label: str = ""  # what a researcher reads, e.g. "Stage"


# History tables name fields in words, not column names.
FIELD_LABELS = {
    "status": "Status",
    "consensus_stage": "Consensus stage",
    "consensus_note": "Consensus note",
    "text": "Consensus note",  # ConsensusNote.text
    "published_at": "Published on",
    "stage_provenance": "Basis of the stage",
    "version": "Version",
    "stage": "Stage",
    "confidence": "Confidence",
    "rationale": "Rationale",
    "interview": "Interview",
    "source": "Source",
    "quote": "Quote",
    "location": "Where in the source",
    "city": "City",
    "conducted_on": "Date of the interview",
    "interviewee_role": "Interviewee's role",
    "sector": "Sector",
    "interviewer": "Interviewer",
    "notes": "Notes",
}


@dataclass(frozen=True)
class HistoryEntry:
    when: datetime.datetime
    who: str
    subject: str
    action: str
    changes: list[Change]
    reason: str = ""


_ACTIONS = {"+": "Created", "~": "Changed", "-": "Deleted"}


def display_value(record, name: str, labels: dict[str, dict[int, str]]) -> str:
    """A field's value as a reader wants it: names for related rows, not their ids; choice
    labels, not stored values; dates in the site's one format."""
    value = getattr(record, name)
    if value is None or value == "":
        return "—"
    if name in labels:
        return labels[name].get(value, f"#{value}")
    if isinstance(value, datetime.datetime):
        return dates.timestamp_label(
            timezone.localtime(value) if timezone.is_aware(value) else value
        )
    if isinstance(value, datetime.date):
        return dates.day_label(value)
    choices = dict(record._meta.get_field(name).flatchoices or ())
    return str(choices.get(value, value))


def _labels(records: list, field: str, queryset, label) -> dict[int, str]:
    """Labels for the rows ``field`` points at in any of ``records``, in one query."""
    ids = {getattr(record, field) for record in records} - {None}
    return {row.pk: label(row) for row in queryset.filter(pk__in=ids)}


def _entries(records, *, fields: list[str], subject, labels) -> list[HistoryEntry]:
    """Turn historical records (any order) into entries with field-by-field changes."""
    entries = []
    previous: dict[int, object] = {}
    for record in sorted(records, key=lambda r: (r.history_date, r.history_id)):
        row = record.instance_type._meta.pk.attname  # the recorded row's own key
        before = previous.get(getattr(record, row))
        changes = []
        for name in fields:
            new = display_value(record, name, labels)
            old = display_value(before, name, labels) if before is not None else "—"
            if record.history_type == "-":
                break
            if before is None or old != new:
                field = name.removesuffix("_id")
                label = FIELD_LABELS.get(field, field.replace("_", " ").capitalize())
                changes.append(Change(field=field, old=old, new=new, label=label))
        previous[getattr(record, row)] = record
        entries.append(
            HistoryEntry(
                when=record.history_date,
                who=record.history_user.get_username() if record.history_user else "system",
                subject=subject(record),
                action=_ACTIONS[record.history_type],
                changes=changes,
                reason=record.history_change_reason or "",
            )
        )
    return entries


_ASSESSMENT_FIELDS = [
    "status",
    "consensus_stage_id",
    "published_at",
    "stage_provenance",
    "version",
]
_RATING_FIELDS = ["stage_id", "confidence", "rationale", "version"]
_EVIDENCE_FIELDS = ["interview_id", "source_id", "quote", "location"]
_INTERVIEW_FIELDS = [
    "city_id",
    "conducted_on",
    "interviewee_role",
    "sector",
    "interviewer_id",
    "notes",
    "version",
]


def assessment_history(
    *, assessment: Assessment, ratings: list[Rating], consensus_visible: bool = True
) -> list[HistoryEntry]:
    """Every recorded change to the assessment, to the given (visible) ratings and to their
    evidence, newest first. Pass only the ratings the viewer may see: blindness holds here too.
    Without ``consensus_visible`` (``may_see_consensus``) the consensus stage and the lead's
    note are left out, and so are changes that then show nothing.
    """
    stage_names = dict(Stage.objects.values_list("id", "name"))
    rating_ids = [rating.pk for rating in ratings]
    raters = {rating.pk: rating.rater.get_username() for rating in ratings}
    evidence = list(
        Evidence.history.filter(rating_id__in=rating_ids).select_related("history_user")
    )
    labels = {
        "consensus_stage_id": stage_names,
        "stage_id": stage_names,
        "interview_id": _labels(
            evidence,
            "interview_id",
            Interview.objects.all(),
            lambda i: f"interview of {dates.day_label(i.conducted_on)} ({i.interviewee_role})",
        ),
        "source_id": _labels(evidence, "source_id", Source.objects.all(), lambda s: s.title),
    }
    fields = _ASSESSMENT_FIELDS
    if not consensus_visible:
        fields = [name for name in fields if name != "consensus_stage_id"]
    entries = _entries(
        assessment.history.select_related("history_user"),
        fields=fields,
        subject=lambda r: "Assessment",
        labels=labels,
    )
    if consensus_visible:
        entries += _entries(
            ConsensusNote.history.filter(assessment_id=assessment.pk).select_related(
                "history_user"
            ),
            fields=["text"],
            subject=lambda r: "Consensus note",
            labels=labels,
        )
    else:  # a change only to the consensus (and the version) has nothing left to show
        entries = [
            e
            for e in entries
            if e.action != "Changed" or any(c.field != "version" for c in e.changes)
        ]
    entries += _entries(
        Rating.history.filter(id__in=rating_ids).select_related("history_user"),
        fields=_RATING_FIELDS,
        subject=lambda r: f"{raters.get(r.id, '?')}'s rating",
        labels=labels,
    )
    entries += _entries(
        evidence,
        fields=_EVIDENCE_FIELDS,
        subject=lambda r: f"Evidence for {raters.get(r.rating_id, '?')}'s rating",
        labels=labels,
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def interview_history(*, interview: Interview) -> list[HistoryEntry]:
    records = list(interview.history.select_related("history_user"))
    labels = {
        "city_id": _labels(records, "city_id", City.objects.all(), str),
        "interviewer_id": _labels(
            records, "interviewer_id", get_user_model().objects.all(), lambda u: u.get_username()
        ),
    }
    entries = _entries(
        records, fields=_INTERVIEW_FIELDS, subject=lambda r: "Interview", labels=labels
    )
    return sorted(entries, key=lambda e: e.when, reverse=True)


def assessment_revisions(*, assessment: Assessment) -> list[RevisionLogEntry]:
    """Publish, unpublish and stage-change entries of one assessment, newest first, each with
    its workspace record (``entry.record``: who recorded it, any evidence-coverage override)."""
    entries = list(
        RevisionLogEntry.objects.filter(assessment=assessment)
        .select_related("stage_before", "stage_after")
        .order_by("-created_at")
    )
    records = RevisionRecord.objects.filter(entry__in=entries).select_related("recorded_by")
    by_entry = {record.entry_id: record for record in records}
    for entry in entries:
        entry.record = by_entry.get(entry.pk)
    return entries


def consensus_note(*, assessment: Assessment) -> str:
    """The lead's note on ``assessment``'s consensus ("" when there is none)."""
    return (
        ConsensusNote.objects.filter(assessment=assessment).values_list("text", flat=True).first()
        or ""
    )
