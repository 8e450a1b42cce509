"""The coverage planner: for every city and every period assessments already use, what has
been heard (interviews by sector, substantive evidence by side), who rated, who is
assigned, the status and what the publishing rule still needs. Reads and the assignment
service live here together (selectors.py and services.py are past their size).

The publishing rule is not copied: each row's ``coverage`` is the ``selectors.Coverage``
the publish service checks (``Coverage.complete`` and ``Coverage.needs``).

Rows are built in Python from a constant number of queries, then filtered and paged:
whether a quote is substantive is decided in Python (``workspace.evidence``), so the
"ready" and "charter side" filters cannot run in SQL.
"""

import datetime
import io
from collections.abc import Iterator
from dataclasses import dataclass, field

import django_filters
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, QuerySet

from accounts import roles
from cities.models import City
from common import dates
from common.spreadsheet import SafeWriter
from compacts.models import Assessment

from . import selectors
from .models import Assignment, Rating, Sector

ALREADY_ASSIGNED = "{researcher} is already assigned to {city}, {period}."
NOT_A_RESEARCHER = "Only researchers can be assigned; {username} is not a researcher."

NONE, OUTSTANDING, ALL_IN, PUBLISHED = "none", "outstanding", "all-in", "published"
STATUS_LABELS = {
    NONE: "No assessment yet",
    OUTSTANDING: "Draft: ratings outstanding",
    ALL_IN: "Draft: all assigned ratings in",
    PUBLISHED: "Published",
}
READY, NEEDS_CHARTER, ONE_RATER = "ready", "needs-charter", "one-rater"
SHOW_CHOICES = [
    (READY, "Ready to publish"),
    (NEEDS_CHARTER, "Needs the charter side"),
    (ONE_RATER, "One rater only"),
]


@dataclass(frozen=True)
class Period:
    start: datetime.date
    precision: str

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}/{self.precision}"

    @property
    def label(self) -> str:
        return dates.period_label(self.start, self.precision)


def planner_periods() -> list[Period]:
    """The periods assessments already use, newest first. A period is its first day (one
    assessment per city and first day); should two cities use the same first day at
    different precisions, the coarser label is shown."""
    found = (
        Assessment.objects.order_by("-period_start", "period_precision")
        .values_list("period_start", "period_precision")
        .distinct()
    )
    return [Period(start, precision) for start, precision in dict(found).items()]


@dataclass
class CoverageRow:
    """One city for one period."""

    city: City
    period: Period
    assessment_id: int | None = None
    published: bool = False
    consensus: bool = False
    raters: list[str] = field(default_factory=list)
    assigned: list[str] = field(default_factory=list)
    coverage: selectors.Coverage = field(
        default_factory=lambda: selectors.Coverage(0, 0, 0, interviews_by_sector={})
    )
    filled: bool = False  # raters, assigned and coverage loaded (``fill_rows``)

    @property
    def outstanding(self) -> list[str]:
        """Assigned researchers who have not rated yet."""
        return [name for name in self.assigned if name not in self.raters]

    @property
    def status(self) -> str:
        if self.assessment_id is None:
            return NONE
        if self.published:
            return PUBLISHED
        return OUTSTANDING if self.outstanding or not self.raters else ALL_IN

    @property
    def status_label(self) -> str:
        if self.status == ALL_IN and not self.assigned:
            return "Draft: rated, nobody assigned"  # "all assigned ratings in" of no one
        return STATUS_LABELS[self.status]

    @property
    def needs(self) -> list[str]:
        """What this city-period still needs before it can be published."""
        if self.published:
            return []
        needs = [] if self.assessment_id else ["an assessment"]
        if self.outstanding:
            needs.append(f"ratings from {', '.join(self.outstanding)}")
        elif not self.raters:
            needs.append("a rating")
        if not self.coverage.complete:
            needs.append(self.coverage.needs)
        if self.assessment_id and not self.consensus:
            needs.append("a consensus stage")
        return needs

    @property
    def ready(self) -> bool:
        return self.status == ALL_IN and not self.needs

    @property
    def needs_charter(self) -> bool:
        return (
            not self.published
            and not self.coverage.charter_interviews
            and not (self.coverage.complete)
        )

    @property
    def one_rater(self) -> bool:
        return len(self.raters) == 1

    def interviews(self, sector: str) -> int:
        return self.coverage.interviews_by_sector.get(sector, 0)

    @property
    def sectors(self) -> list[tuple[str, int]]:
        return [(label, self.interviews(value)) for value, label in Sector.choices]

    @property
    def heard(self) -> list[str]:
        """The sectors interviewed, with how many: ["District 2", "State 1"]."""
        return [f"{label} {count}" for label, count in self.sectors if count]


SHOW = {
    READY: lambda row: row.ready,
    NEEDS_CHARTER: lambda row: row.needs_charter,
    ONE_RATER: lambda row: row.one_rater,
}


class CoverageFilter(django_filters.FilterSet):
    """The planner's filters. State and city narrow the cities in SQL; ``show`` picks
    city-periods by the publishing rule, which runs in Python (``coverage_rows``)."""

    q = django_filters.CharFilter(field_name="name", lookup_expr="icontains", label="City")
    state = django_filters.ChoiceFilter(label="State", empty_label="All states")
    show = django_filters.ChoiceFilter(
        label="Show", choices=SHOW_CHOICES, empty_label="Every city-period", method="by_rule"
    )

    class Meta:
        model = City
        fields = ["q", "state", "show"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        states = City.objects.order_by("state").values_list("state", flat=True).distinct()
        self.filters["state"].extra["choices"] = [(s, s) for s in states]

    def by_rule(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset  # rows, not cities, are picked: see ``coverage_rows(show=...)``

    @property
    def rule(self) -> str:
        """The chosen ``show`` value, "" for every row."""
        return self.form.cleaned_data.get("show", "") if self.is_valid() else ""


def coverage_rows(
    *, cities: QuerySet[City], show: str = "", filled: bool = False
) -> list[CoverageRow]:
    """Every city of ``cities`` for every period assessments use, by city name then newest
    period first, keeping only rows ``show`` picks (``SHOW``).

    Rows come light — city, period and whether an assessment exists, is published, has a
    consensus — so a page of 1,000 cities by 40 periods does not count evidence for rows it
    does not show: pass the rows shown to ``fill_rows`` (or ask for them all ``filled``,
    as the CSV does). A filter narrows the rows in SQL as far as it can, fills what is left
    and applies its rule. A constant number of queries however many cities there are."""
    periods = planner_periods()
    rows = {
        (city.pk, period.start): CoverageRow(city, period)
        for city in cities.order_by("name").only("id", "name", "slug", "state")
        for period in periods
    }
    within = Assessment.objects.filter(city__in=cities.values("pk"))
    assessments = within.values_list(
        "pk", "city_id", "period_start", "status", "consensus_stage_id"
    )
    for pk, city_id, start, status, consensus in assessments:
        row = rows[(city_id, start)]
        row.assessment_id = pk
        row.published = status == Assessment.Status.PUBLISHED
        row.consensus = consensus is not None
    if show not in SHOW:
        return fill_rows(list(rows.values()), within=within) if filled else list(rows.values())
    candidates = _candidates(show, list(rows.values()), cities=cities)
    fill_rows(candidates, within=within)
    return [row for row in candidates if SHOW[show](row)]


def _candidates(show: str, rows: list[CoverageRow], *, cities: QuerySet[City]) -> list:
    """The rows that may match ``show``, by what is known before filling them."""
    if show == READY:
        return [row for row in rows if row.assessment_id and not row.published and row.consensus]
    if show == NEEDS_CHARTER:
        return [row for row in rows if not row.published]
    single = set(
        Rating.objects.filter(assessment__city__in=cities.values("pk"))
        .order_by()
        .values("assessment_id")
        .annotate(n=Count("pk"))
        .filter(n=1)
        .values_list("assessment_id", flat=True)
    )
    return [row for row in rows if row.assessment_id in single]


def fill_rows(
    rows: list[CoverageRow], *, within: QuerySet[Assessment] | None = None
) -> list[CoverageRow]:
    """Fill ``rows`` with their raters, assigned researchers and evidence coverage (rows
    filled before are left as they are), in a constant number of queries. Returns
    ``rows``. For many rows pass ``within``, assessments holding all of theirs: queries
    then select by it instead of by thousands of ids."""
    todo = [row for row in rows if not row.filled]
    by_id = {row.assessment_id: row for row in todo if row.assessment_id}
    by_key = {(row.city.pk, row.period.start): row for row in todo}
    scope = list(by_id) if within is None else within.values("pk")
    for assessment_id, username in (
        Rating.objects.filter(assessment_id__in=scope)
        .order_by("rater__username")
        .values_list("assessment_id", "rater__username")
    ):
        if assessment_id in by_id:
            by_id[assessment_id].raters.append(username)
    for city_id, start, username in (
        Assignment.objects.filter(
            city_id__in={city_id for city_id, _ in by_key},
            period_start__in={start for _, start in by_key},
        )
        .order_by("researcher__username")
        .values_list("city_id", "period_start", "researcher__username")
    ):
        if (city_id, start) in by_key:
            by_key[(city_id, start)].assigned.append(username)
    for pk, found in selectors.evidence_coverages(
        assessment_ids=list(by_id), within=within
    ).items():
        by_id[pk].coverage = found
    for row in todo:
        row.filled = True
    return rows


CSV_HEADER = [
    "city",
    "state",
    "period",
    "status",
    *[f"interviews_{value}" for value in Sector.values],
    "district_side",
    "charter_side",
    "checked_source_passages",
    "unverified_sources",
    "insubstantial_quotes",
    "ratings",
    "raters",
    "assigned",
    "coverage_complete",
    "needs",
]


def csv_lines(rows: list[CoverageRow]) -> Iterator[str]:
    """The planner's rows as CSV, one line at a time (neutralised for spreadsheets)."""
    buffer = io.StringIO()
    writer = SafeWriter(buffer)

    def flush() -> str:
        line = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return line

    writer.writerow(CSV_HEADER)
    yield flush()
    for row in rows:
        coverage = row.coverage
        writer.writerow(
            [
                row.city.name,
                row.city.state,
                row.period.label,
                row.status_label,
                *[row.interviews(value) for value in Sector.values],
                coverage.district_interviews,
                coverage.charter_interviews,
                coverage.sources,
                coverage.unverified_sources,
                coverage.insubstantial_quotes,
                len(row.raters),
                " ".join(row.raters),
                " ".join(row.assigned),
                "yes" if coverage.complete else "no",
                "; ".join(row.needs),
            ]
        )
        yield flush()


# Assignments --------------------------------------------------------------------------


def assignment_create(*, user, city: City, period: Period, researcher) -> Assignment:
    """A lead assigns ``researcher`` to rate ``city`` for ``period``."""
    if not roles.is_lead(user):
        raise PermissionDenied
    if not roles.is_researcher(researcher):
        raise ValidationError(NOT_A_RESEARCHER.format(username=researcher.get_username()))
    assignment = Assignment(
        city=city,
        period_start=period.start,
        period_precision=period.precision,
        researcher=researcher,
        assigned_by=user,
    )
    refused = ALREADY_ASSIGNED.format(
        researcher=researcher.get_username(), city=city.name, period=period.label
    )
    try:
        assignment.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:
            raise ValidationError(refused) from error
        raise
    try:
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:  # assigned twice at once
        raise ValidationError(refused) from error
    return assignment


@dataclass(frozen=True)
class AssignmentItem:
    city: City
    period_label: str
    assessment_id: int | None
    rated: bool


def assignments_for(*, user) -> list[AssignmentItem]:
    """``user``'s assignments, with the assessment to rate (if it exists yet) and whether
    they have rated it, those still to rate first: for their workspace home."""
    assignments = list(
        Assignment.objects.filter(researcher=user)
        .select_related("city")
        .order_by("city__name", "-period_start")
    )
    keys = {(a.city_id, a.period_start) for a in assignments}
    found = {
        (city_id, start): pk
        for pk, city_id, start in Assessment.objects.filter(
            city_id__in={city_id for city_id, _ in keys}
        ).values_list("pk", "city_id", "period_start")
    }
    rated = set(
        Rating.objects.filter(rater=user, assessment_id__in=found.values()).values_list(
            "assessment_id", flat=True
        )
    )
    items = []
    for a in assignments:
        pk = found.get((a.city_id, a.period_start))
        items.append(
            AssignmentItem(
                city=a.city,
                period_label=dates.period_label(a.period_start, a.period_precision),
                assessment_id=pk,
                rated=pk in rated,
            )
        )
    return sorted(items, key=lambda item: item.rated)  # the ones still to rate first
