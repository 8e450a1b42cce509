"""A city's standing as of a date: the one definition of its current stage, peak stage,
backsliding (how sure a loss is) and trend, and of the dates and groupings those rest on.

Everything is computed in the database from published assessments only, for any as-of
date; nothing here is stored. Cities with no published assessment by the date get NULLs:
"not assessed", never baseline.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from common.choices import Confidence, LossStatus, StageBasis, Trend

from .models import Assessment, FindingNaming, TrajectoryDirection, TrajectoryFinding

# Published counts with no single stage: "11 are in the earliest stages" (baseline, Emerging).
EARLIEST_STAGE_ORDERS = (0, 1)

# A firm stage: stated in a source or reconciled from ratings, and not of low confidence.
# An inferred stage, or any stage of low confidence, is not firm.
FIRM = ~Q(stage_provenance=StageBasis.INFERRED) & ~Q(stage_confidence=Confidence.LOW)


def is_firm(basis: str, confidence: str) -> bool:
    """``FIRM`` for plain rows."""
    return basis != StageBasis.INFERRED and confidence != Confidence.LOW


def lost_ground_reports(as_of: datetime.date) -> QuerySet:
    """Findings in which a document names a city as having lost ground by ``as_of``."""
    return TrajectoryFinding.objects.known_by(as_of).filter(
        direction=TrajectoryDirection.LOST_GROUND, naming=FindingNaming.NAMED
    )


def with_stage_as_of(cities: QuerySet, as_of: datetime.date) -> QuerySet:
    """Annotate each city's current and peak stage from published assessments up to ``as_of``.

    current_* comes from the latest published assessment whose period starts on or before
    ``as_of``; peak_stage_order is the highest stage among them. ``below_peak`` is
    peak > current; ``loss_status`` says how sure a loss is (see ``loss_status``) and
    ``backslid`` is True for a firm loss only (``LossStatus.YES``); ``trend`` compares the
    latest stage with the one before it (see Trend).
    """
    published = Assessment.objects.published().as_of(as_of).filter(city=OuterRef("pk"))
    latest = published.order_by("-period_start")
    return (
        cities.annotate(
            current_stage_order=Subquery(latest.values("consensus_stage__order")[:1]),
            current_stage_name=Subquery(latest.values("consensus_stage__name")[:1]),
            current_period_start=Subquery(latest.values("period_start")[:1]),
            current_stage_provenance=Subquery(latest.values("stage_provenance")[:1]),
            current_period_precision=Subquery(latest.values("period_precision")[:1]),
            current_stage_confidence=Subquery(latest.values("stage_confidence")[:1]),
            current_stage_firm=Subquery(
                latest.annotate(firm=ExpressionWrapper(FIRM, output_field=BooleanField())).values(
                    "firm"
                )[:1]
            ),
            previous_stage_order=Subquery(latest.values("consensus_stage__order")[1:2]),
            peak_stage_order=Subquery(
                published.order_by()
                .values("city")
                .annotate(peak=Max("consensus_stage__order"))
                .values("peak")
            ),
            firm_peak_stage_order=Subquery(
                published.filter(FIRM)
                .order_by()
                .values("city")
                .annotate(peak=Max("consensus_stage__order"))
                .values("peak")
            ),
            lost_ground_reported=Exists(lost_ground_reports(as_of).filter(city=OuterRef("pk"))),
        )
        .annotate(
            below_peak=Coalesce(Q(peak_stage_order__gt=F("current_stage_order")), False),
            loss_status=Case(
                When(
                    below_peak=True,
                    current_stage_firm=True,
                    firm_peak_stage_order=F("peak_stage_order"),
                    then=Value(LossStatus.YES),
                ),
                # A document's report stands unless a firm stage at its peak says otherwise.
                When(
                    Q(lost_ground_reported=True)
                    & (
                        Q(current_stage_order__isnull=True)
                        | Q(current_stage_firm=False)
                        | Q(below_peak=True)
                    ),
                    then=Value(LossStatus.REPORTED),
                ),
                When(below_peak=True, then=Value(LossStatus.POSSIBLE)),
                # A firm stage at its peak against a document's report: never "no".
                When(lost_ground_reported=True, then=Value(LossStatus.POSSIBLE)),
                When(current_stage_order__isnull=False, then=Value(LossStatus.NO)),
                default=Value(LossStatus.UNKNOWN),
            ),
        )
        .annotate(backslid=Q(loss_status=LossStatus.YES), trend=trend())
    )


def trend() -> Case:
    """The trend from annotations ``below_peak``, ``current_stage_order`` and
    ``previous_stage_order`` (see Trend)."""
    return Case(
        When(below_peak=True, then=Value(Trend.SLID_BACK)),
        When(current_stage_order__gt=F("previous_stage_order"), then=Value(Trend.RISING)),
        When(previous_stage_order__isnull=False, then=Value(Trend.STEADY)),
        default=Value(""),
    )


@dataclass(frozen=True)
class PeriodStage:
    period_start: datetime.date
    stage_order: int
    basis: str = StageBasis.RATED
    confidence: str = ""

    @property
    def firm(self) -> bool:
        return is_firm(self.basis, self.confidence)


class Standing(NamedTuple):
    """One city's standing as of a date, from ``standing``: the stage orders, or None for a
    city with no published assessment by then."""

    current: int | None
    previous: int | None
    peak: int | None

    @property
    def assessed(self) -> bool:
        return self.current is not None

    @property
    def below_peak(self) -> bool:
        """As ``with_stage_as_of``'s ``below_peak``: False for a city with no stage."""
        return self.current is not None and self.peak > self.current


def standing(periods: Sequence[PeriodStage], as_of: datetime.date) -> Standing:
    """(current, previous, peak) stage orders of one city as of ``as_of``, from its published
    assessments as plain rows: the same rule as ``with_stage_as_of``, for data outside the
    database (a release's frozen files). A test holds the two to the same answers."""
    known = sorted((p for p in periods if p.period_start <= as_of), key=lambda p: p.period_start)
    if not known:
        return Standing(None, None, None)
    previous = known[-2].stage_order if len(known) > 1 else None
    return Standing(known[-1].stage_order, previous, max(p.stage_order for p in known))


def loss_status(
    periods: Sequence[PeriodStage], as_of: datetime.date, *, lost_ground_reported: bool = False
) -> LossStatus:
    """How sure a city's loss of ground is as of ``as_of``, from its published assessments as
    plain rows and whether a document names it as having lost ground by then: the same rule
    as ``with_stage_as_of``'s ``loss_status`` (a test holds the two to the same answers).

    yes: current below peak, both firm; possible: below peak, either not firm; reported: a
    document names the loss and no firm stage at its peak says otherwise; no: at its peak;
    unknown: no stage and no report. A reported city and a city without a stage are never
    "no"."""
    known = [p for p in periods if p.period_start <= as_of]
    if not known:
        return LossStatus.REPORTED if lost_ground_reported else LossStatus.UNKNOWN
    current = max(known, key=lambda p: p.period_start)
    peak = max(p.stage_order for p in known)
    below = peak > current.stage_order
    firm_peak = any(p.firm and p.stage_order == peak for p in known)
    if below and current.firm and firm_peak:
        return LossStatus.YES
    if lost_ground_reported and (below or not current.firm):
        return LossStatus.REPORTED
    if below or lost_ground_reported:
        return LossStatus.POSSIBLE
    return LossStatus.NO
