"""A city's standing as of a date: the one definition of its current stage, peak stage,
backsliding and trend, and of the dates and groupings those rest on.

Everything is computed in the database from published assessments only, for any as-of
date; nothing here is stored. Cities with no published assessment by the date get NULLs:
"not assessed", never baseline.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import NamedTuple

from django.db.models import Case, F, Max, OuterRef, Q, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from common.choices import Trend

from .models import Assessment

# Published counts with no single stage: "11 are in the earliest stages" (baseline, Emerging).
EARLIEST_STAGE_ORDERS = (0, 1)


def with_stage_as_of(cities: QuerySet, as_of: datetime.date) -> QuerySet:
    """Annotate each city's current and peak stage from published assessments up to ``as_of``.

    current_* comes from the latest published assessment whose period starts on or before
    ``as_of``; peak_stage_order is the highest stage among them. ``backslid`` is
    peak > current; ``trend`` compares the latest stage with the one before it (see Trend).
    """
    published = Assessment.objects.published().as_of(as_of).filter(city=OuterRef("pk"))
    latest = published.order_by("-period_start")
    return cities.annotate(
        current_stage_order=Subquery(latest.values("consensus_stage__order")[:1]),
        current_stage_name=Subquery(latest.values("consensus_stage__name")[:1]),
        current_period_start=Subquery(latest.values("period_start")[:1]),
        current_stage_provenance=Subquery(latest.values("stage_provenance")[:1]),
        current_period_precision=Subquery(latest.values("period_precision")[:1]),
        current_stage_confidence=Subquery(latest.values("stage_confidence")[:1]),
        previous_stage_order=Subquery(latest.values("consensus_stage__order")[1:2]),
        peak_stage_order=Subquery(
            published.order_by()
            .values("city")
            .annotate(peak=Max("consensus_stage__order"))
            .values("peak")
        ),
    ).annotate(
        backslid=Coalesce(Q(peak_stage_order__gt=F("current_stage_order")), False),
        trend=Case(
            When(backslid=True, then=Value(Trend.SLID_BACK)),
            When(current_stage_order__gt=F("previous_stage_order"), then=Value(Trend.RISING)),
            When(previous_stage_order__isnull=False, then=Value(Trend.STEADY)),
            default=Value(""),
        ),
    )


@dataclass(frozen=True)
class PeriodStage:
    period_start: datetime.date
    stage_order: int


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
    def backslid(self) -> bool:
        """Below its peak, as ``with_stage_as_of``'s ``backslid``: False for a city with no
        stage, which pages show as unknown (blank), never as "no"."""
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
