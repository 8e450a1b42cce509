"""The stage distribution over time as plain rows (a read of published data only).

``stage_distribution_rows`` reads the stored standings (compacts.stored: one query over
spans, whatever the number of assessments); ``live_stage_distribution_rows`` walks every
published assessment through compacts.standing and is the reference the stored form is
tested against (tests/dashboard/test_distribution_rows.py)."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from charts import freshness
from charts.rows import DistributionRow
from common.choices import LossStatus
from common.sql import ids_in
from compacts.models import Assessment, TrajectoryFinding
from compacts.standing import PeriodStage, loss_status, lost_ground_reports
from compacts.stored import standings_at_year_ends
from sources.models import known_from, known_since


def stage_distribution_rows(
    *, city_ids: Sequence[int], as_of: datetime.date
) -> list[DistributionRow]:
    """Where the cities stood at the end of each year from the first published stage to
    ``as_of`` (the last period ends at ``as_of``), from the stored standings: the same rows
    as ``live_stage_distribution_rows``. Cities with no standing at a period's end are one
    row with stage None and loss status unknown."""
    cells = standings_at_year_ends(city_ids=city_ids, as_of=as_of)
    ends = sorted({cell.day for cell in cells})
    years = freshness.stale_after_years()
    counts: dict[tuple, int] = {}
    for cell in cells:
        key = (
            cell.day,
            cell.stage_order,
            bool(cell.firm),
            cell.loss_status,
            cell.stage_order is not None and freshness.is_stale(cell.period_start, cell.day, years),
        )
        counts[key] = counts.get(key, 0) + cell.count
    for end in ends:
        standing = sum(count for key, count in counts.items() if key[0] == end)
        if standing < len(city_ids):
            key = (end, None, False, str(LossStatus.UNKNOWN), False)
            counts[key] = len(city_ids) - standing
    return [
        DistributionRow(end, order, firm, status, count, stale)
        for (end, order, firm, status, stale), count in counts.items()
    ]


def _period_ends(first: datetime.date, as_of: datetime.date) -> list[datetime.date]:
    return [datetime.date(year, 12, 31) for year in range(first.year, as_of.year)] + [as_of]


def live_stage_distribution_rows(
    *, city_ids: Sequence[int], as_of: datetime.date
) -> list[DistributionRow]:
    """Where the cities stood at the end of each year from the first published assessment
    to ``as_of`` (the last period ends at ``as_of``): one row per (year, stage, firmness,
    loss status) with its count, cities with no stage yet as stage None. The loss status is
    compacts.standing.loss_status as of each period's end. Two queries."""
    assessments = (
        Assessment.objects.published()
        .as_of(as_of)
        .filter(city_id__in=ids_in(list(city_ids)))
        .order_by("city_id", "period_start")
        .values_list(
            "city_id",
            "period_start",
            "consensus_stage__order",
            "stage_provenance",
            "stage_confidence",
        )
    )
    periods: dict[int, list[PeriodStage]] = {}
    for city_id, start, order, basis, confidence in assessments:
        periods.setdefault(city_id, []).append(PeriodStage(start, order, basis, confidence or ""))
    if not periods:
        return []
    reported_from: dict[int, list[datetime.date]] = {}
    reports = lost_ground_reports(as_of).filter(city_id__in=ids_in(list(city_ids)))
    for city_id, since, start, precision in reports.annotate(
        since=known_since(TrajectoryFinding)
    ).values_list("city_id", "since", "period_start", "period_precision"):
        reported_from.setdefault(city_id, []).append(
            known_from(known_since=since, period_start=start, precision=precision)
        )
    first = min(p.period_start for own in periods.values() for p in own)
    ends = _period_ends(first, as_of)
    years = freshness.stale_after_years()
    counts: dict[tuple, int] = {}
    for end in ends:
        for city_id in city_ids:
            own = [p for p in periods.get(city_id, ()) if p.period_start <= end]
            reported = any(day <= end for day in reported_from.get(city_id, ()))
            status = loss_status(own, end, lost_ground_reported=reported)
            current = own[-1] if own else None
            key = (
                end,
                current.stage_order if current else None,
                current.firm if current else False,
                str(status),
                bool(current) and freshness.is_stale(current.period_start, end, years),
            )
            counts[key] = counts.get(key, 0) + 1
    return [
        DistributionRow(end, order, firm, status, count, stale)
        for (end, order, firm, status, stale), count in counts.items()
    ]
