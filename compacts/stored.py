"""The stored standings (compacts.stored_models): built from compacts.standing's one
definition of current stage, peak and loss status, refreshed before every read for the
cities triggers marked stale, and read as the distribution of cities over time.

``with_stored_standing`` reads each city's standing at a date with one indexed join, and
``standings_at_year_ends`` the distribution over time in one query over spans (about one per
published assessment), instead of a window over every assessment; ``refresh_stale`` costs
one query when nothing changed. ``manage.py rebuild_standings`` rebuilds every span.
"""

from __future__ import annotations

import contextvars
import datetime
from collections import defaultdict
from collections.abc import Callable, Hashable, Sequence
from typing import NamedTuple

from django.contrib.postgres.fields import DateRangeField
from django.contrib.postgres.fields.ranges import RangeContains
from django.db import connection, transaction
from django.db.models import (
    F,
    FilteredRelation,
    Func,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
)
from django.db.models.functions import Coalesce, NullIf

from common.choices import LossStatus
from common.sql import ids_in, kept_instances, values_rows
from sources.models import known_from, known_since

from .models import Assessment, FindingNaming, Stage, TrajectoryDirection, TrajectoryFinding
from .standing import PeriodStage, is_firm, loss_status, standing, trend
from .stored_models import StaleStanding, StoredStanding, StoredYearEnd

# Refreshing ------------------------------------------------------------------------------


def refresh_stale() -> None:
    """Rebuild the spans of the cities triggers marked stale since the last read. One query
    when none is; the marks are taken under lock, so two requests never rebuild the same
    city at once."""
    if _refreshed.get():  # within a read that refreshed them a moment ago
        return
    table = StaleStanding._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {table})")
        if not cursor.fetchone()[0]:
            return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {table} RETURNING city_id")
        stale = [row[0] for row in cursor.fetchall()]
        if stale:
            _rebuild(None if StaleStanding.ALL in stale else stale)


def rebuild_standings(city_ids: Sequence[int] | None = None) -> int:
    """Rebuild the spans of ``city_ids`` (every city's when None); the number of spans."""
    with transaction.atomic():
        if city_ids is None:
            StaleStanding.objects.all().delete()
        return _rebuild(city_ids)


def _rebuild(city_ids: Sequence[int] | None) -> int:
    assessments = Assessment.objects.published()
    findings = TrajectoryFinding.objects.filter(
        direction=TrajectoryDirection.LOST_GROUND, naming=FindingNaming.NAMED
    )
    spans = StoredStanding.objects.all()
    if city_ids is not None:
        assessments = assessments.filter(city_id__in=ids_in(list(city_ids)))
        findings = findings.filter(city_id__in=ids_in(list(city_ids)))
        spans = spans.filter(city_id__in=ids_in(list(city_ids)))
    periods: dict[int, list[tuple[PeriodStage, str]]] = defaultdict(list)
    for city_id, start, order, basis, confidence, precision in assessments.order_by(
        "city_id", "period_start"
    ).values_list(
        "city_id",
        "period_start",
        "consensus_stage__order",
        "stage_provenance",
        "stage_confidence",
        "period_precision",
    ):
        periods[city_id].append((PeriodStage(start, order, basis, confidence or ""), precision))
    reports: dict[int, list[datetime.date]] = defaultdict(list)
    for city_id, start, precision, since in (
        findings.filter(city__isnull=False)
        .annotate(since=known_since(TrajectoryFinding))
        .values_list("city_id", "period_start", "period_precision", "since")
    ):
        reports[city_id].append(
            known_from(known_since=since, period_start=start, precision=precision)
        )
    # The year ends these cities' spans counted come out before the spans go, and their
    # new spans' go in after them: the year ends stay the sum of every city's spans.
    _count_year_ends(city_ids, -1)
    spans.delete()
    rows = [
        span
        for city_id in periods.keys() | reports.keys()
        for span in city_spans(city_id, periods.get(city_id, []), reports.get(city_id, []))
    ]
    StoredStanding.objects.bulk_create(rows, batch_size=10_000)
    _count_year_ends(city_ids, +1)
    return len(rows)


# Each span's standing at every 31 December it contains (an open span: up to the horizon),
# summed; {cities} narrows it to some cities' spans.
_SPAN_YEAR_ENDS_SQL = """
SELECT make_date(y, 12, 31) AS day, s.stage_order, s.firm, s.loss_status, s.period_start,
       COUNT(*) AS count
FROM compacts_storedstanding s CROSS JOIN LATERAL generate_series(
    EXTRACT(YEAR FROM s.start)::int,
    LEAST(%(horizon)s, COALESCE(EXTRACT(YEAR FROM s.until)::int, %(horizon)s))
) AS y
WHERE (s.until IS NULL OR s.until > make_date(y, 12, 31)) {cities}
GROUP BY 1, 2, 3, 4, 5
"""
_SOME_CITIES = "AND s.city_id = ANY(%(cities)s::bigint[])"


def _count_year_ends(city_ids: Sequence[int] | None, sign: int) -> None:
    """Add (sign +1) or take out (-1) the year ends of these cities' spans as they stand
    (every city's: the table is emptied, or filled from nothing)."""
    table = StoredYearEnd._meta.db_table
    columns = "day, stage_order, firm, loss_status, period_start, count"
    params = {"horizon": StoredYearEnd.HORIZON_YEAR, "cities": list(city_ids or ())}
    with connection.cursor() as cursor:
        if city_ids is None and sign < 0:
            cursor.execute(f"DELETE FROM {table}")
        elif city_ids is None:
            sql = _SPAN_YEAR_ENDS_SQL.format(cities="")
            cursor.execute(f"INSERT INTO {table} ({columns}) {sql}", params)
        elif sign > 0:
            sql = _SPAN_YEAR_ENDS_SQL.format(cities=_SOME_CITIES)
            cursor.execute(
                f"INSERT INTO {table} AS t ({columns}) {sql}"
                " ON CONFLICT (day, stage_order, firm, loss_status, period_start)"
                " DO UPDATE SET count = t.count + EXCLUDED.count",
                params,
            )
        else:
            # An update, not an upsert of negative counts: PostgreSQL checks a row it would
            # insert (count >= 0) before it finds the row it conflicts with.
            sql = _SPAN_YEAR_ENDS_SQL.format(cities=_SOME_CITIES)
            cursor.execute(
                f"UPDATE {table} AS t SET count = t.count - d.count FROM ({sql}) AS d"
                " WHERE t.day = d.day AND t.loss_status = d.loss_status"
                " AND t.stage_order IS NOT DISTINCT FROM d.stage_order"
                " AND t.firm IS NOT DISTINCT FROM d.firm"
                " AND t.period_start IS NOT DISTINCT FROM d.period_start",
                params,
            )
            cursor.execute(f"DELETE FROM {table} WHERE count = 0")


def city_spans(
    city_id: int, periods: list[tuple[PeriodStage, str]], reports: list[datetime.date]
) -> list[StoredStanding]:
    """One city's spans: its standing (compacts.standing) at each date it can change."""
    stages = [period for period, _ in periods]
    precision = {period.period_start: p for period, p in periods}
    starts = sorted({p.period_start for p in stages} | set(reports))
    spans = []
    for index, at in enumerate(starts):
        reported = any(report <= at for report in reports)
        now = standing(stages, at)
        if not now.assessed and not reported:
            continue
        known = [p for p in stages if p.period_start <= at]
        latest = known[-1] if known else None
        spans.append(
            StoredStanding(
                city_id=city_id,
                start=at,
                until=starts[index + 1] if index + 1 < len(starts) else None,
                stage_order=now.current,
                basis=latest.basis if latest else "",
                firm=is_firm(latest.basis, latest.confidence) if latest else None,
                loss_status=loss_status(known, at, lost_ground_reported=reported),
                precision=precision.get(at, ""),
                period_start=latest.period_start if latest else None,
                period_precision=precision[latest.period_start] if latest else "",
                confidence=latest.confidence if latest else "",
                previous_order=now.previous,
                peak_order=now.peak,
            )
        )
    return spans


# Standings as of a date, from the stored spans ---------------------------------------------


def with_stored_standing(cities: QuerySet, as_of: datetime.date) -> QuerySet:
    """``with_stage_as_of``'s annotations (current, previous and peak stage, loss status,
    trend) read from the stored span each city is in at ``as_of``: one join on an index,
    no correlated look-ups per city, whatever the number of assessments. The spans come
    from compacts.standing's definition; a property test holds the two to the same
    answers. Stale cities are refreshed first."""
    refresh_stale()
    # The span's date range holds the day: written as the GiST index's expression so a
    # point in time reads the spans that contain it, not every city's every span.
    days = Func(
        F("stored_standings__start"),
        F("stored_standings__until"),
        function="daterange",
        output_field=DateRangeField(),
    )
    span = FilteredRelation("stored_standings", condition=Q(RangeContains(days, as_of)))
    stage_name = Stage.objects.filter(order=OuterRef("span__stage_order")).values("name")[:1]
    return (
        cities.annotate(span=span)
        .annotate(
            current_stage_order=F("span__stage_order"),
            current_stage_name=Subquery(stage_name),
            current_period_start=F("span__period_start"),
            current_stage_provenance=NullIf(F("span__basis"), Value("")),
            current_period_precision=NullIf(F("span__period_precision"), Value("")),
            current_stage_confidence=F("span__confidence"),
            current_stage_firm=F("span__firm"),
            previous_stage_order=F("span__previous_order"),
            peak_stage_order=F("span__peak_order"),
            loss_status=Coalesce(F("span__loss_status"), Value(LossStatus.UNKNOWN)),
        )
        .annotate(below_peak=Coalesce(Q(peak_stage_order__gt=F("current_stage_order")), False))
        .annotate(backslid=Q(loss_status=LossStatus.YES), trend=trend())
    )


def standing_rows(key: Hashable, build: Callable[..., QuerySet], *arguments: object) -> list[dict]:
    """``common.sql.values_rows`` for a read of the stored standings (``build`` reads them
    through ``with_stored_standing``): the stale cities are refreshed on every call, since a
    kept SQL skips the build that would refresh them."""
    return _refreshed_first(values_rows, key, build, arguments)


def standing_instances(
    key: Hashable, build: Callable[..., QuerySet], *arguments: object
) -> list[Model]:
    """``standing_rows`` for a queryset of model instances (``common.sql.kept_instances``)."""
    return _refreshed_first(kept_instances, key, build, arguments)


# Set while a read that refreshed the standings first runs: its build need not ask again.
_refreshed = contextvars.ContextVar("standings_refreshed", default=False)


def _refreshed_first(read, key, build, arguments):
    refresh_stale()
    token = _refreshed.set(True)
    try:
        return read(key, build, *arguments)
    finally:
        _refreshed.reset(token)


class StandingAt(NamedTuple):
    """How many of the chosen cities stood so on ``day``, with the period their current
    stage rates (None before any stage): one cell of the distribution over time."""

    day: datetime.date
    stage_order: int | None
    firm: bool | None
    loss_status: str
    period_start: datetime.date | None
    count: int


# Some cities' standings at each year's end and on the as-of day, from their spans.
_AT_SQL = """
WITH first AS (
    SELECT EXTRACT(YEAR FROM MIN(start))::int AS year FROM compacts_storedstanding
    WHERE city_id = ANY(%(cities)s::bigint[]) AND start <= %(as_of)s AND stage_order IS NOT NULL
), counted AS (
    -- Only spans that contain a 31 December or the as-of day count anywhere.
    SELECT * FROM compacts_storedstanding
    WHERE city_id = ANY(%(cities)s::bigint[]) AND start <= %(as_of)s
      AND (until IS NULL OR until > %(as_of)s
           OR until > make_date(EXTRACT(YEAR FROM start)::int, 12, 31))
)
SELECT d.day, s.stage_order, s.firm, s.loss_status, s.period_start, COUNT(*)::int
FROM first, counted s CROSS JOIN LATERAL (
    SELECT make_date(y, 12, 31) AS day
    FROM generate_series(
        GREATEST(first.year, EXTRACT(YEAR FROM s.start)::int),
        LEAST(%(year)s - 1, COALESCE(EXTRACT(YEAR FROM s.until)::int, %(year)s - 1))
    ) AS y
    UNION ALL
    SELECT %(as_of)s::date
) d
WHERE first.year IS NOT NULL AND s.start <= d.day AND (s.until IS NULL OR s.until > d.day)
GROUP BY 1, 2, 3, 4, 5
"""

# Every city's: the stored year ends before the as-of day, and the spans it falls in (by
# the span index), from the first year's end any city had a stage at.
_ALL_AT_SQL = """
WITH ends AS (
    SELECT day, stage_order, firm, loss_status, period_start, count
    FROM compacts_storedyearend WHERE day < %(as_of)s
), today AS (
    SELECT %(as_of)s::date AS day, stage_order, firm, loss_status, period_start,
           COUNT(*)::int AS count
    FROM compacts_storedstanding WHERE daterange(start, until) @> %(as_of)s::date
    GROUP BY 2, 3, 4, 5
), first AS (
    SELECT MIN(day) AS day FROM (
        SELECT day FROM ends WHERE stage_order IS NOT NULL
        UNION ALL
        SELECT day FROM today WHERE stage_order IS NOT NULL
    ) AS staged
)
SELECT ends.* FROM ends, first WHERE ends.day >= first.day
UNION ALL
SELECT today.* FROM today, first WHERE first.day IS NOT NULL
"""


def standings_at_year_ends(*, city_ids: Sequence[int], as_of: datetime.date) -> list[StandingAt]:
    """The chosen cities' standings at the end of each year from the first published stage
    among them to ``as_of`` (the last day counted is ``as_of`` itself), in one query over the
    spans (after refreshing stale cities); cities with no span that day (not assessed) are
    left out. Empty when none of them has a stage by ``as_of``."""
    refresh_stale()
    if not city_ids:
        return []
    params = {"cities": list(city_ids), "as_of": as_of, "year": as_of.year}
    cities = StoredStanding._meta.get_field("city").related_model._meta.db_table
    with connection.cursor() as cursor:
        # Every city (the unfiltered dashboard): the stored year ends, a few hundred rows
        # whatever the number of cities, instead of every city's spans.
        if as_of.year <= StoredYearEnd.HORIZON_YEAR:
            cursor.execute(f"SELECT count(*) FROM {cities}")
            if cursor.fetchone()[0] == len(set(city_ids)):
                cursor.execute(_ALL_AT_SQL, params)
                return [StandingAt(*row) for row in cursor.fetchall()]
        cursor.execute(_AT_SQL, params)
        return [StandingAt(*row) for row in cursor.fetchall()]
