"""The numbers behind each chart as plain tables: the HTML table under a chart and its CSV
download are both rendered from these, so they always agree with each other (the CSV adds
only the machine-readable claim columns, ``csv_columns``, which the page says in words)."""

from __future__ import annotations

import dataclasses
import io
from collections.abc import Sequence

from common import dates, emphasis
from common.choices import InitiativeStatusChoice, LossStatus
from common.spreadsheet import SafeWriter

from . import freshness
from .claims import CLAIM_COLUMNS, NO_CLAIM_CELLS, StageClaim
from .rows import (
    CityStage,
    Cohort,
    ComparedCity,
    DistributionRow,
    Matrix,
    PublishedCount,
    Timeline,
)


@dataclasses.dataclass(frozen=True)
class DataTable:
    caption: str
    columns: tuple[str, ...]
    rows: tuple[tuple, ...]
    # Columns only the CSV carries, one tuple per row (the claim columns: charts.claims).
    csv_columns: tuple[str, ...] = ()
    csv_rows: tuple[tuple, ...] = ()
    # Whole rows only the CSV carries, after the others: a table drawn sideways (one row per
    # measure) keeps its machine-readable measures there, which the page says in words.
    csv_only_rows: tuple[tuple, ...] = ()

    def to_csv(self) -> str:
        buffer = io.StringIO()
        writer = SafeWriter(buffer)
        writer.writerow((*self.columns, *self.csv_columns))
        extra = self.csv_rows or ((),) * len(self.rows)
        writer.writerows(
            [_plain(value) for value in (*row, *more)]
            for row, more in zip(self.rows, extra, strict=True)
        )
        writer.writerows([_plain(value) for value in row] for row in self.csv_only_rows)
        return buffer.getvalue()


def _plain(value):
    """A CSV cell: nothing for None, quoted text without its Markdown emphasis marks."""
    if value is None:
        return ""
    return emphasis.plain(value) if isinstance(value, str) else value


def _claim_cells(claim: StageClaim | None) -> tuple:
    return tuple(claim.cells()) if claim else NO_CLAIM_CELLS


def _claim_words(claim: StageClaim | None, stage: str | None) -> str:
    return claim.words(stage=stage or "") if claim else ""


def progress_table(rows: Sequence[CityStage], *, as_of) -> DataTable:
    years = freshness.stale_after_years()
    return DataTable(
        caption=f"Current and peak stage of each city as of {dates.month_label(as_of)}",
        columns=(
            "City",
            "State",
            "Signing year",
            "Current stage",
            "Period of current stage",
            "Basis",
            "Confidence",
            "Peak stage",
            "Stages lost since peak",
            "Backslid",
            "Loss",
            f"Stale (newest assessment over {years} years old)",
            "Trajectory findings",
            "How sure (basis, ratings, evidence)",
        ),
        rows=tuple(
            (
                row.name,
                row.state,
                row.signing_year,
                row.current_name or "Not assessed",
                row.period_label,
                row.current_basis.value if row.assessed else "",
                row.current_confidence if row.assessed else "",
                row.peak_name or "",
                (row.peak_order - row.current_order) if row.assessed else "",
                # Kept for older clients: "yes" for a firm loss, "no" at its peak, blank when
                # the loss is possible, reported or unknown; "Loss" says which.
                _backslid_cell(row.loss_status),
                row.loss_label,
                ("yes" if freshness.is_stale(row.current_period, as_of, years) else "no")
                if row.assessed
                else "",
                # One finding a line (no "|" marks in a cell).
                "\n".join(
                    f"{f.direction_label} ({f.period_label}): {f.summary} Evidence: {f.evidence}"
                    for f in row.findings
                ),
                _claim_words(row.claim, row.current_name),
            )
            for row in rows
        ),
        csv_columns=CLAIM_COLUMNS,
        csv_rows=tuple(_claim_cells(row.claim) for row in rows),
    )


def stage_counts_table(rows: Sequence[CityStage], stages: Sequence, *, as_of) -> DataTable:
    """The filtered cities per current stage: the counts recorded here."""
    counts = [(s.name, sum(1 for r in rows if r.current_order == s.order)) for s in stages]
    counts.append(("Not assessed", sum(1 for r in rows if not r.assessed)))
    return DataTable(
        caption=f"Cities per stage as of {dates.month_label(as_of)}, recorded here",
        columns=("Stage", "Cities"),
        rows=tuple(counts),
    )


def published_counts_table(counts: Sequence[PublishedCount]) -> DataTable:
    as_of = counts[0].as_of_label if counts else ""
    return DataTable(
        caption=f"Stage counts the reports published for {as_of}, beside the counts recorded"
        " here for the same date (compact cities, published assessments)",
        columns=("Stage", "Published", "Recorded here", "Source"),
        rows=tuple(
            (
                count.label,
                f"{count.published} (derived, not published)" if count.derived else count.published,
                count.recorded,
                f"{count.source_title}: “{count.quote}”",
            )
            for count in counts
        ),
    )


LOSS_ORDER = {status: position for position, status in enumerate(LossStatus)}


def distribution_table(rows: Sequence[DistributionRow], stages: Sequence) -> DataTable:
    """The distribution over time: per period, stage, firmness and loss status, the count
    of cities (those with no published stage yet included, as "Not assessed")."""
    names = {stage.order: stage.name for stage in stages}

    def key(row: DistributionRow):
        # Every field that tells two rows apart, so the table (and its CSV) come out in one
        # order whatever order the database gave: the loss surest first, as the legend.
        return (
            row.period_end,
            -1 if row.stage_order is None else row.stage_order,
            not row.firm,
            LOSS_ORDER.get(row.loss_status, len(LOSS_ORDER)),
            row.stale,
        )

    return DataTable(
        caption="Cities per stage at the end of each year (the last year up to the as-of month)",
        columns=("Period", "Stage", "Inferred or low confidence", "Loss since peak", "Cities"),
        rows=tuple(
            (
                row.period_label,
                names.get(row.stage_order, "Not assessed"),
                ("no" if row.firm else "yes") if row.stage_order is not None else "",
                LossStatus(row.loss_status).label,
                row.count,
            )
            for row in sorted(rows, key=key)
        ),
    )


def timeline_table(timeline: Timeline) -> DataTable:
    rows = [
        (
            p.city_label,
            p.period_label,
            "Assessment",
            p.stage_name,
            _claim_words(p.claim, p.stage_name) or p.basis.value,
        )
        for p in timeline.points
    ]
    rows += [
        (
            e.city_label,
            e.date_label,
            f"Event: {e.kind_label}",
            "",
            e.title,
        )
        for e in timeline.events
    ]
    return DataTable(
        caption="Published stages and events of the cities on the timeline",
        columns=("City", "Date", "Kind", "Stage", "Detail"),
        rows=tuple(rows),
        csv_columns=CLAIM_COLUMNS,
        csv_rows=(
            *(_claim_cells(p.claim) for p in timeline.points),
            *(NO_CLAIM_CELLS for _ in timeline.events),
        ),
    )


STATUSES = tuple(InitiativeStatusChoice)


def matrix_table(matrix: Matrix) -> DataTable:
    return DataTable(
        caption="Initiative types by cost and benefit (Figure 7), with the cities' initiatives"
        " counted by current status",
        columns=(
            "Initiative type",
            "Cost",
            "Benefit",
            *(status.label for status in STATUSES),
            "Total",
        ),
        rows=tuple(
            (
                tc.type.label,
                tc.type.cost_label if tc.type.cost else "not placed in Figure 7",
                tc.type.benefit_label if tc.type.benefit else "not placed in Figure 7",
                *(tc.by_status.get(status.value, 0) for status in STATUSES),
                tc.total,
            )
            for tc in matrix.types
        ),
    )


def initiatives_table(matrix: Matrix) -> DataTable:
    label = matrix.selected_type.label if matrix.selected_type else ""
    return DataTable(
        caption=f"Initiatives of type “{label}”",
        columns=("City", "Initiative", "Status", "Years"),
        rows=tuple((i.city_label, i.title, i.status, i.years) for i in matrix.initiatives),
    )


# Funder views ----------------------------------------------------------------------------


def _backslid_cell(status: str) -> str:
    """The old yes/no backslid value: "yes" only for a firm loss, "no" only for a city at
    its peak with no document saying otherwise, blank for every other status."""
    return {LossStatus.YES: "yes", LossStatus.NO: "no"}.get(status, "")


def _stale_cell(period_start, as_of, years: int) -> str:
    """ "yes (9 years 11 months before December 2026)", "no", or "" with no stage."""
    if period_start is None:
        return ""
    if not freshness.is_stale(period_start, as_of, years):
        return "no"
    age = dates.age_label(freshness.age_months(period_start, as_of))
    return f"yes ({age} before {dates.month_label(as_of)})"


def _yes_no(value: bool | None) -> str:
    return "unknown" if value is None else ("yes" if value else "no")


def comparison_table(cities: Sequence[ComparedCity], *, as_of) -> DataTable:
    """The chosen cities side by side: one column per city, one row per measure; the CSV
    adds the claim columns of charts.claims, named as in every CSV. A current stage older
    than the stale threshold is flagged, with its age as of ``as_of``."""
    years = freshness.stale_after_years()
    measures = [
        ("Program", [c.program or "No compact" for c in cities]),
        ("Signing year (cohort)", [c.signing_year for c in cities]),
        ("Portfolio city at signing", [_yes_no(c.portfolio) for c in cities]),
        ("Significant Gates funding", [_yes_no(c.significant_funding) for c in cities]),
        ("Current stage", [c.current_name or "Not assessed" for c in cities]),
        ("Period of current stage", [c.period_label for c in cities]),
        (
            f"Stale (current stage over {years} years old)",
            [_stale_cell(c.current_period, as_of, years) for c in cities],
        ),
        (
            "How sure (basis, ratings, evidence)",
            [_claim_words(c.claim, c.current_name) for c in cities],
        ),
        ("Peak stage", [c.peak_name or "" for c in cities]),
        ("Loss (how sure)", [LossStatus(c.loss_status).label for c in cities]),
        (
            "Trend (last two assessments)",
            [(c.trend or "one assessment only") if c.assessed else "" for c in cities],
        ),
        ("Latest trajectory finding", [c.latest_finding or "none" for c in cities]),
        *(
            (
                f"Initiatives: {status.label.lower()}",
                [c.initiatives.get(status.value, 0) for c in cities],
            )
            for status in STATUSES
        ),
        ("Initiatives: total", [sum(c.initiatives.values()) for c in cities]),
    ]
    # For the CSV only: the claim columns under their machine names (the page says them in
    # the "How sure" row) and the old yes/blank "Slid back" for existing readers.
    machine = [
        *(
            (column, [_claim_cells(c.claim)[i] for c in cities])
            for i, column in enumerate(CLAIM_COLUMNS)
        ),
        ("Slid back (below its peak)", [_backslid_cell(c.loss_status) for c in cities]),
    ]
    return DataTable(
        caption=f"The chosen cities side by side as of {dates.month_label(as_of)} (published data)",
        columns=("Measure", *(c.label for c in cities)),
        rows=tuple((measure, *values) for measure, values in measures) if cities else (),
        csv_only_rows=tuple((m, *values) for m, values in machine) if cities else (),
    )


def cohort_table(cohorts: Sequence[Cohort]) -> DataTable:
    """Every point of the cohort chart, then each cohort's cities not yet assessed."""
    rows: list[tuple] = []
    claims: list[tuple] = []
    for cohort in cohorts:
        points = [(city, p) for city in cohort.assessed for p in city.points]
        rows += [
            (
                city.label,
                cohort.signing_year,
                p.period_label,
                p.years_since_signing,
                p.stage_name,
                p.basis.value,
            )
            for city, p in points
        ]
        claims += [_claim_cells(p.claim) for _, p in points]
        rows += [
            (city.label, cohort.signing_year, "", "", "Not assessed", "")
            for city in cohort.not_assessed
        ]
        claims += [NO_CLAIM_CELLS for _ in cohort.not_assessed]
    return DataTable(
        caption="Published stages by years since signing, per cohort; cities not yet"
        " assessed are listed here, not drawn",
        columns=(
            "City",
            "Cohort (signing year)",
            "Period",
            "Years since signing",
            "Stage",
            "Basis",
        ),
        rows=tuple(rows),
        csv_columns=CLAIM_COLUMNS,
        csv_rows=tuple(claims),
    )
