"""What charts and tables draw: small frozen dataclasses that the selectors of the pages
(dashboard, city pages) build from published data. No model ever reaches a chart."""

from __future__ import annotations

import dataclasses
import datetime

from common import dates
from common.choices import CostBenefitLevel, DatePrecision, LossStatus, StageBasis
from common.labels import city_label

from .claims import StageClaim

LOW_CONFIDENCE = "low"


def is_weak(basis: StageBasis | str | None, confidence: str | None) -> bool:
    """An inferred or low-confidence stage: charts draw it lighter, hatched or dashed."""
    return basis == StageBasis.INFERRED or confidence == LOW_CONFIDENCE


@dataclasses.dataclass(frozen=True)
class Finding:
    """A trajectory finding (lost ground, stalled...) with its evidence, never a stage."""

    direction: str
    direction_label: str
    summary: str
    period_label: str
    evidence: str
    report: str = ""  # the report's short title: "Collision Course"
    date_label: str = ""  # short, for a chart: "January 2017", "undated, report after Aug 2017"


# Not frozen, though never changed once built (``dataclasses.replace`` makes a new one): a
# frozen dataclass sets each of its 18 fields through object.__setattr__, and the dashboard
# builds one per city, 5,000 at 5,000 cities (4.9 against 2.5 microseconds each). Hashable
# all the same.
@dataclasses.dataclass(slots=True, unsafe_hash=True)
class CityStage:
    """One row of Figure 6: a city's current and peak stage as of the chosen date."""

    pk: int
    name: str
    slug: str
    state: str
    signing_year: int | None
    current_order: int | None
    current_name: str | None
    current_period: datetime.date | None
    current_basis: StageBasis | None
    peak_order: int | None
    peak_name: str | None
    backslid: bool
    findings: tuple[Finding, ...] = ()
    current_precision: str = DatePrecision.MONTH
    current_confidence: str = ""
    # How sure a loss is (compacts.standing); ``backslid`` is True for LossStatus.YES only.
    loss_status: str = LossStatus.UNKNOWN
    # How sure the current stage is and what it rests on; None when not assessed.
    claim: StageClaim | None = None
    # Whether a trajectory finding is known by the date: true with ``findings``, and on a
    # long list's rows that carry none until a page draws them.
    has_findings: bool = False

    @property
    def assessed(self) -> bool:
        return self.current_order is not None

    @property
    def loss_label(self) -> str:
        return LossStatus(self.loss_status).label

    @property
    def below_peak(self) -> bool:
        return (
            self.assessed and self.peak_order is not None and self.peak_order > self.current_order
        )

    @property
    def label(self) -> str:
        return city_label(self.name, self.state)

    @property
    def weak(self) -> bool:
        return self.assessed and is_weak(self.current_basis, self.current_confidence)

    @property
    def period_label(self) -> str:
        """The period the current stage rests on: "January 2017", "2016", "2016 Q3"."""
        return dates.period_label(self.current_period, self.current_precision)


class _AssessedPeriod:
    """What a published assessment drawn as a point knows about itself; the rows below
    carry period_start, precision, basis and confidence."""

    @property
    def weak(self) -> bool:
        return is_weak(self.basis, self.confidence)

    @property
    def period_label(self) -> str:
        return dates.period_label(self.period_start, self.precision)


@dataclasses.dataclass(frozen=True)
class TimelinePoint(_AssessedPeriod):
    city_label: str
    period_start: datetime.date
    stage_order: int
    stage_name: str
    basis: StageBasis
    precision: str = DatePrecision.MONTH
    confidence: str = ""
    claim: StageClaim | None = None

    @property
    def period_last_day(self) -> datetime.date:
        """The last day of the assessed period."""
        return dates.period_end(self.period_start, self.precision) - datetime.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class TimelineEvent:
    city_label: str
    occurred_on: datetime.date | None
    date_as_written: str
    kind_label: str
    title: str
    kind: str = ""
    precision: str = DatePrecision.DAY

    @property
    def date_label(self) -> str:
        """The date in the site's format for its precision; the text's own words when the
        date is unknown."""
        return dates.period_label(self.occurred_on, self.precision) or (
            self.date_as_written or "date unknown"
        )


@dataclasses.dataclass(frozen=True)
class Timeline:
    cities: tuple[CityStage, ...]
    points: tuple[TimelinePoint, ...]
    events: tuple[TimelineEvent, ...]
    as_of: datetime.date
    # The published assessments and events drawn, by id: the sources note names what they
    # cite without finding them again.
    assessment_ids: tuple[int, ...] = ()
    event_ids: tuple[int, ...] = ()


@dataclasses.dataclass(frozen=True)
class DistributionRow:
    """How many cities stood where at the end of one period: a stage (None: no published
    stage yet), whether that stage is firm, and how sure a loss since the peak is."""

    period_end: datetime.date  # the last day counted: 31 December, or the as-of date
    stage_order: int | None
    firm: bool
    loss_status: str
    count: int
    # The stage rests on an assessment older than the stale threshold at the period's end.
    stale: bool = False

    @property
    def period_label(self) -> str:
        """ "2019" for a whole year, "2026 to November" for part of one (up to the as-of)."""
        if (self.period_end.month, self.period_end.day) == (12, 31):
            return str(self.period_end.year)
        return f"{self.period_end.year} to {self.period_end:%B}"


@dataclasses.dataclass(frozen=True)
class InitiativeTypeRow:
    """An initiative type as Figure 7 places it; cost and benefit are blank when unplaced."""

    pk: int
    key: str
    label: str
    cost: str
    benefit: str

    @property
    def cost_label(self) -> str:
        return CostBenefitLevel(self.cost).label if self.cost else ""

    @property
    def benefit_label(self) -> str:
        return CostBenefitLevel(self.benefit).label if self.benefit else ""


@dataclasses.dataclass(frozen=True)
class TypeCount:
    type: InitiativeTypeRow
    by_status: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


@dataclasses.dataclass(frozen=True)
class InitiativeRow:
    city_label: str
    title: str
    type_label: str
    status: str
    years: str


@dataclasses.dataclass(frozen=True)
class Matrix:
    types: tuple[TypeCount, ...]
    selected_type: InitiativeTypeRow | None
    initiatives: tuple[InitiativeRow, ...]


@dataclasses.dataclass(frozen=True)
class PublishedCount:
    """A stage count a report published, beside the count recorded here for that date."""

    label: str
    stage_orders: tuple[int, ...]
    as_of: datetime.date
    as_of_label: str
    published: int
    recorded: int
    source_title: str
    quote: str
    derived: bool = False


@dataclasses.dataclass(frozen=True)
class SourcesNote:
    titles: tuple[str, ...]
    newest_period: datetime.date | None
    newest_precision: str = DatePrecision.MONTH

    @property
    def newest_label(self) -> str:
        return dates.period_label(self.newest_period, self.newest_precision)


# Funder views: comparison and cohorts ----------------------------------------------------


@dataclasses.dataclass(frozen=True)
class ComparedCity:
    """One city of the side-by-side comparison, as of the chosen date."""

    slug: str
    label: str
    program: str  # the program's label, "" without a compact
    signing_year: int | None
    portfolio: bool | None
    significant_funding: bool | None
    current_name: str | None
    current_period: datetime.date | None
    peak_name: str | None
    backslid: bool
    trend: str  # Trend label, "" with fewer than two published assessments
    latest_finding: str  # "Lost ground (about 2013): summary", "" when none
    initiatives: dict[str, int]  # initiative status value -> count, as of the date
    current_precision: str = DatePrecision.MONTH
    loss_status: str = LossStatus.UNKNOWN  # how sure a loss is (compacts.standing)
    claim: StageClaim | None = None  # how sure the current stage is; None when not assessed

    @property
    def period_label(self) -> str:
        return dates.period_label(self.current_period, self.current_precision)

    @property
    def assessed(self) -> bool:
        return self.current_name is not None


@dataclasses.dataclass(frozen=True)
class CohortPoint(_AssessedPeriod):
    """A published assessment placed by the years since the city's compact was signed."""

    period_start: datetime.date
    years_since_signing: float
    stage_order: int
    stage_name: str
    basis: StageBasis
    precision: str = DatePrecision.MONTH
    confidence: str = ""
    claim: StageClaim | None = None


@dataclasses.dataclass(frozen=True)
class CohortCity:
    label: str
    points: tuple[CohortPoint, ...]  # oldest first; empty when not assessed

    @property
    def assessed(self) -> bool:
        return bool(self.points)


@dataclasses.dataclass(frozen=True)
class Cohort:
    """The cities whose compacts were signed in one year."""

    signing_year: int
    cities: tuple[CohortCity, ...]

    @property
    def assessed(self) -> tuple[CohortCity, ...]:
        return tuple(city for city in self.cities if city.assessed)

    @property
    def not_assessed(self) -> tuple[CohortCity, ...]:
        return tuple(city for city in self.cities if not city.assessed)
