"""Reads for the funder's side-by-side comparison of cities (published data only). A fixed
number of queries, whatever the number of cities."""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from django.db.models import F, OuterRef, Subquery

from charts.rows import ComparedCity
from cities.models import City
from common import dates
from common.choices import DatePrecision, Trend
from common.labels import city_label
from compacts.claims import current_claims
from compacts.models import Initiative, Program, Stage, TrajectoryFinding

from .filters import COMPARE_MAX_CITIES


def city_comparison(*, slugs: Sequence[str], as_of: datetime.date) -> list[ComparedCity]:
    """The named cities side by side as of ``as_of``, in the order named (unknown slugs
    are skipped): compact, current and peak stage, trend, the latest trajectory finding
    and the initiatives counted by their status that year. Three queries."""
    slugs = list(slugs)[:COMPARE_MAX_CITIES]
    stage_names = dict(Stage.objects.values_list("order", "name"))
    latest_finding = (
        TrajectoryFinding.objects.filter(city=OuterRef("pk"))
        .known_by(as_of)
        # Undated findings count as the oldest, as undated initiative statuses do.
        .order_by(F("period_start").desc(nulls_last=True), "-key")
    )
    rows = (
        City.objects.filter(slug__in=slugs)
        .with_stage_as_of(as_of)
        .annotate(
            finding_direction=Subquery(latest_finding.values("direction")[:1]),
            finding_summary=Subquery(latest_finding.values("summary")[:1]),
            finding_period=Subquery(latest_finding.values("period_as_written")[:1]),
            finding_start=Subquery(latest_finding.values("period_start")[:1]),
            finding_precision=Subquery(latest_finding.values("period_precision")[:1]),
        )
        .values(
            "pk",
            "slug",
            "name",
            "state",
            "compact__program",
            "compact__signing_year",
            "compact__portfolio_at_signing",
            "compact__significant_funding",
            "current_stage_name",
            "current_period_start",
            "current_period_precision",
            "peak_stage_order",
            "backslid",
            "loss_status",
            "trend",
            "finding_direction",
            "finding_summary",
            "finding_period",
            "finding_start",
            "finding_precision",
        )
    )
    rows = sorted(rows, key=lambda row: slugs.index(row["slug"]))
    counts = Initiative.objects.filter(city_id__in=[row["pk"] for row in rows]).status_counts(
        as_of, per="city_id"
    )
    claims = current_claims(
        {row["pk"]: row["current_period_start"] for row in rows if row["current_period_start"]}
    )
    programs = dict(Program.choices)
    directions = dict(TrajectoryFinding.Direction.choices)
    return [
        ComparedCity(
            slug=row["slug"],
            label=city_label(row["name"], row["state"]),
            program=programs.get(row["compact__program"], ""),
            signing_year=row["compact__signing_year"],
            portfolio=row["compact__portfolio_at_signing"],
            significant_funding=row["compact__significant_funding"],
            current_name=row["current_stage_name"],
            current_period=row["current_period_start"],
            peak_name=stage_names.get(row["peak_stage_order"]),
            backslid=bool(row["backslid"]),
            trend=Trend(row["trend"]).label if row["trend"] else "",
            latest_finding=_finding_text(row, directions),
            initiatives=counts.get(row["pk"], {}),
            current_precision=row["current_period_precision"] or DatePrecision.MONTH,
            loss_status=row["loss_status"],
            claim=claims.get(row["pk"]),
        )
        for row in rows
    ]


def _finding_text(row: dict, directions: dict[str, str]) -> str:
    if not row["finding_direction"]:
        return ""
    period = dates.finding_period_label(
        row["finding_period"], row["finding_start"], row["finding_precision"]
    )
    label = directions.get(row["finding_direction"], row["finding_direction"])
    return f"{label} ({period}): {row['finding_summary']}"
