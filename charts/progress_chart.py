"""Figure 6 as a pure function: one bar per city to its current stage, the ground lost
since its peak in striped orange (a possible loss lighter, with a dashed edge), the period
each bar rests on, stale cities marked, and trajectory findings in a column of their own.

Bars end exactly at their stage's label (charts.scale). On a phone (layout.meta.narrow,
applied by static/js/dashboard.js) each city's full name, stage and period are written
above its bar instead of beside the axis, so no name is cut short.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from common import dates

from . import freshness, scale
from .chart_style import (
    FINDING_STYLES,
    GRID,
    INK,
    LOST_GROUND_COLOUR,
    MUTED,
    STALE_COLOUR,
    STALE_SYMBOL,
    WEAK_OPACITY,
    WEAK_PATTERN,
    _base_layout,
    _empty,
    _escape,
    _stage_colour,
    _wrap,
    legend_names,
    legend_rows,
)
from .rows import CityStage

ROW_PX, NARROW_ROW_PX = 28, 46
BARGAP, NARROW_BARGAP = 0.35, 0.62
# With findings, the bars take the left part and the findings column (each finding named by
# its report and date, oldest first) the right; on a phone the column shows markers only.
MAIN_DOMAIN, FINDINGS_DOMAIN = [0, 0.56], [0.59, 1]
FINDINGS_ROW_PX = 34  # a finding's label is two lines: its report, then its date
NARROW_MAIN_DOMAIN, NARROW_FINDINGS_DOMAIN = [0, 0.74], [0.78, 1]
FINDING_TEXT_SHIFT = 0.1  # a finding's label starts just right of its marker
FINDINGS_START = -0.12  # the findings column's left edge, just left of the first marker
TEXT_ROOM = 1.6  # stage units to the right of the longest bar, for its period


def progress_figure(
    rows: Sequence[CityStage],
    stages: Sequence,
    *,
    as_of: datetime.date | None = None,
    stale_after_years: int | None = None,
    empty_message: str = "No cities match these filters.",
) -> dict:
    """Figure 6 for ``rows`` (in the order given) as of ``as_of``."""
    if not rows:
        return _empty(empty_message)
    years = stale_after_years or freshness.stale_after_years()
    labels = [row.label for row in rows]
    assessed = [row for row in rows if row.assessed]
    stale = [
        row for row in assessed if as_of and freshness.is_stale(row.current_period, as_of, years)
    ]
    stale_pks = {row.pk for row in stale}
    data: list[dict] = []
    present = sorted({row.current_order for row in assessed})
    for stage in stages:
        if stage.order in present:
            data.append(
                _legend_bar(stage.name, _stage_colour(stage.order), labels[0], group=stage.key)
            )
    if any(row.weak for row in assessed):
        data.append(
            _legend_bar(
                "Inferred or low confidence (lighter, hatched)",
                "#6baed6",
                labels[0],
                pattern=WEAK_PATTERN,
                opacity=WEAK_OPACITY,
            )
        )
    for stage in stages:
        for weak in (False, True):
            at_stage = [r for r in assessed if r.current_order == stage.order and r.weak == weak]
            if at_stage:
                data.append(_stage_bars(stage, at_stage, weak, as_of, stale_pks))
    lost = [row for row in assessed if row.backslid]
    if lost:
        data.append(_lost_ground(lost))
    # Below the peak but not a firm loss: a stage it rests on is inferred or of low confidence.
    uncertain = [row for row in assessed if row.below_peak and not row.backslid]
    if uncertain:
        data.append(_possible_loss(uncertain))
    ranged = [row for row in assessed if row.claim and row.claim.has_range]
    if ranged:
        data.append(_rating_whiskers(ranged))
    text_traces = []
    if assessed:
        text_traces.append(len(data))
        data.append(_period_text(assessed))
    if stale:
        data.append(_stale_markers(stale, as_of, years))
    unassessed = [row for row in rows if not row.assessed]
    if unassessed:
        text_traces.append(len(data))
        data.append(_not_assessed(unassessed))
    findings = _findings(rows)
    if findings:
        text_traces.append(len(data) + len(findings) - 1)  # the labels: hidden on a phone
    data += findings
    x_top = scale.top(stages) + TEXT_ROOM
    values, names = scale.ticks(stages)
    most_findings = max((len(row.findings) for row in rows), default=0)
    layout = _base_layout(
        barmode="overlay",
        bargap=BARGAP,
        height=(FINDINGS_ROW_PX if findings else ROW_PX) * len(rows)
        + 70
        + 22 * legend_rows(legend_names(data), 1000),
        hovermode="closest",
        xaxis={
            "domain": MAIN_DOMAIN,
            "range": [0, x_top],
            "tickmode": "array",
            "tickvals": values,
            "ticktext": names,
            "side": "top",
            "showgrid": True,
            "gridcolor": GRID,
            "zeroline": False,
            "fixedrange": True,
            "automargin": True,
        },
        yaxis={
            "type": "category",
            "categoryorder": "array",
            "categoryarray": labels,
            # Top row first, and no autorange padding around the rows (markers would add it).
            "range": [len(labels) - 0.5, -0.5],
            "automargin": True,
            "fixedrange": True,
            "showgrid": False,
        },
        meta={"narrow": _narrow(rows, data, text_traces, findings=bool(findings))},
    )
    if uncertain:
        layout["shapes"] = _dashed_edges(rows, uncertain, BARGAP)
        layout["meta"]["narrow"]["layout"]["shapes"] = _dashed_edges(rows, uncertain, NARROW_BARGAP)
    if findings:
        layout["xaxis2"] = {
            "domain": FINDINGS_DOMAIN,
            "range": [FINDINGS_START, max(1, most_findings) + 0.05],
            "side": "top",
            "anchor": "y",
            "tickmode": "array",
            "tickvals": [FINDINGS_START],  # the heading starts where the column does
            "ticktext": ["Findings, oldest first (report, date)"],
            "ticklabelposition": "outside right",
            "showgrid": False,
            "zeroline": False,
            "fixedrange": True,
        }
    else:
        layout["xaxis"]["domain"] = [0, 1]
    return {"data": data, "layout": layout}


def _hover_age(row: CityStage, as_of: datetime.date | None, stale_pks: set[int]) -> str:
    if as_of is None or row.current_period is None:
        return ""
    age = dates.age_label(freshness.age_months(row.current_period, as_of))
    note = f"{age} before {dates.month_label(as_of)}"
    return note + (": stale" if row.pk in stale_pks else "")


def _stage_bars(stage, rows, weak: bool, as_of, stale_pks: set[int]) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "name": f"{stage.name} (inferred or low confidence)" if weak else stage.name,
        "legendgroup": stage.key,
        "showlegend": False,
        "x": [scale.position(stage.order) for _ in rows],
        "y": [row.label for row in rows],
        "base": 0,
        "customdata": [
            [
                row.current_name,
                row.period_label,
                row.current_basis.value,
                row.peak_name or "",
                _hover_age(row, as_of, stale_pks),
                row.current_confidence or "not recorded",
                _wrap(row.claim.basis_words(stage=row.current_name)) if row.claim else "",
            ]
            for row in rows
        ],
        "hovertemplate": "<b>%{y}</b><br>%{customdata[0]}, assessed for %{customdata[1]}"
        " (%{customdata[2]}, confidence %{customdata[5]})<br>%{customdata[6]}"
        "<br>Peak: %{customdata[3]}<br>Newest assessment %{customdata[4]}<extra></extra>",
        "opacity": WEAK_OPACITY if weak else 1,
        "marker": {
            "color": _stage_colour(stage.order),
            "line": {"color": "#1b1f24", "width": 0.5},
            "pattern": _pattern(WEAK_PATTERN if weak else ""),
        },
    }


def _pattern(shape: str) -> dict:
    return {"shape": shape, "fillmode": "overlay", "fgcolor": "#ffffff", "size": 7, "solidity": 0.3}


def _lost_ground(rows: Sequence[CityStage]) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "name": "Ground lost since peak (orange, striped)",
        "x": [scale.position(r.peak_order) - scale.position(r.current_order) for r in rows],
        "y": [row.label for row in rows],
        "base": [scale.position(row.current_order) for row in rows],
        "customdata": [[row.peak_name, row.current_name] for row in rows],
        "hovertemplate": "<b>%{y}</b><br>Lost ground: peak %{customdata[0]},"
        " now %{customdata[1]}<extra></extra>",
        "marker": {
            "color": LOST_GROUND_COLOUR,
            "line": {"color": "#9a6a00", "width": 0.5},
            "pattern": {
                "shape": "/",
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "size": 8,
                "solidity": 0.35,
            },
        },
        "showlegend": True,
    }


def _possible_loss(rows: Sequence[CityStage]) -> dict:
    """Ground that may have been lost: the orange of a loss, lighter, with a dashed edge."""
    trace = _lost_ground(rows)
    trace.update(
        name="Possible loss since peak (lighter, dashed edge)",
        opacity=0.45,
        customdata=[[row.peak_name, row.current_name, row.loss_label] for row in rows],
        hovertemplate="<b>%{y}</b><br>Possible loss: peak %{customdata[0]},"
        " now %{customdata[1]}<br>%{customdata[2]}: the peak or the current stage is"
        " inferred or of low confidence<extra></extra>",
    )
    trace["marker"] = {**trace["marker"], "line": {"width": 0}}
    return trace


def _rating_whiskers(rows: Sequence[CityStage]) -> dict:
    """The researchers' range on each bar: a thin line from the lowest to the highest rated
    stage, capped at both ends (the publish snapshot; never who rated what)."""
    xs, ys, custom = [], [], []
    for row in rows:
        claim = row.claim
        xs += [scale.position(claim.low_order), scale.position(claim.high_order), None]
        ys += [row.label, row.label, None]
        words = _wrap(claim.basis_words(stage=row.current_name))
        custom += [[words], [words], [None]]
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": "Range of the researchers' ratings (whisker)",
        "x": xs,
        "y": ys,
        "line": {"color": INK, "width": 2},
        "marker": {"symbol": "line-ns-open", "size": 16, "color": INK, "line": {"width": 2}},
        "customdata": custom,
        "hovertemplate": "<b>%{y}</b><br>%{customdata[0]}<extra></extra>",
        "showlegend": True,
        "cliponaxis": False,
    }


def _dashed_edges(rows: Sequence[CityStage], uncertain: Sequence[CityStage], bargap: float):
    """The dashed edge of each possible loss: bar markers have no dashed outline, so a shape
    per bar (on a category axis a shape's y is the row's index)."""
    index = {row.pk: i for i, row in enumerate(rows)}
    half = (1 - bargap) / 2
    return [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": scale.position(row.current_order),
            "x1": scale.position(row.peak_order),
            "y0": index[row.pk] - half,
            "y1": index[row.pk] + half,
            "line": {"color": "#9a6a00", "width": 1.5, "dash": "dash"},
            "fillcolor": "rgba(0,0,0,0)",
            "layer": "above",
        }
        for row in uncertain
    ]


def _bar_end(row: CityStage) -> int:
    return scale.position(max(row.current_order, row.peak_order or row.current_order))


def _period_text(rows: Sequence[CityStage]) -> dict:
    """The period each bar rests on, just past its end."""
    return {
        "type": "scatter",
        "mode": "text",
        "name": "Period assessed",
        "x": [_bar_end(row) + 0.32 for row in rows],
        "y": [row.label for row in rows],
        "text": [row.period_label for row in rows],
        "textposition": "middle right",
        "textfont": {"color": MUTED, "size": 11},
        "hoverinfo": "skip",
        "showlegend": False,
        "cliponaxis": False,
    }


def _stale_markers(rows: Sequence[CityStage], as_of, years: int) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": f"Stale: newest assessment over {years} year{'s' if years != 1 else ''} old",
        "x": [_bar_end(row) + 0.16 for row in rows],
        "y": [row.label for row in rows],
        "marker": {"symbol": STALE_SYMBOL, "size": 10, "color": STALE_COLOUR},
        "customdata": [[row.period_label] for row in rows],
        "hovertemplate": "<b>%{y}</b><br>Stale: last assessed %{customdata[0]}<extra></extra>",
        "showlegend": True,
        "cliponaxis": False,
    }


def _not_assessed(rows: Sequence[CityStage]) -> dict:
    return {
        "type": "scatter",
        "mode": "text",
        "name": "Not assessed (no published stage)",
        "x": [0.05 for _ in rows],
        "y": [row.label for row in rows],
        "text": ["<i>not assessed</i>" for _ in rows],
        "textposition": "middle right",
        "textfont": {"color": MUTED, "size": 11},
        "hovertemplate": "<b>%{y}</b><br>No published assessment<extra></extra>",
        "showlegend": False,
    }


def finding_text(finding) -> str:
    """A finding's label in Figure 6's findings column: its report over its date."""
    date = _escape(finding.date_label or finding.period_label)
    return f"{_escape(finding.report)}<br>{date}" if finding.report else date


def _findings(rows: Sequence[CityStage]) -> list[dict]:
    """The findings column: each row's findings oldest first (the rows hold them in that
    order), a marker per direction, each named by its report and date."""
    traces = []
    for direction, (symbol, colour) in FINDING_STYLES.items():
        points = [
            (row, index, finding)
            for row in rows
            for index, finding in enumerate(row.findings)
            if finding.direction == direction
        ]
        if not points:
            continue
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"Finding: {points[0][2].direction_label.lower()}",
                "xaxis": "x2",
                "x": [index for _, index, _ in points],
                "y": [row.label for row, _, _ in points],
                "marker": {"symbol": symbol, "color": colour, "size": 10},
                "customdata": [
                    [
                        f.direction_label,
                        f.period_label,
                        _wrap(f.summary),
                        _wrap(f.evidence),
                        _escape(f.report) or "report not recorded",
                    ]
                    for _, _, f in points
                ],
                "hovertemplate": "<b>%{y}</b>: %{customdata[0]} (%{customdata[1]})"
                "<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
                "showlegend": True,
            }
        )
    labelled = [(row, i, f) for row in rows for i, f in enumerate(row.findings)]
    if labelled:
        traces.append(
            {
                "type": "scatter",
                "mode": "text",
                "name": "Finding: report and date",
                "xaxis": "x2",
                "x": [index + FINDING_TEXT_SHIFT for _, index, _ in labelled],
                "y": [row.label for row, _, _ in labelled],
                "text": [finding_text(f) for _, _, f in labelled],
                "textposition": "middle right",
                "textfont": {"color": MUTED, "size": 10},
                "hoverinfo": "skip",
                "showlegend": False,
                "cliponaxis": False,
            }
        )
    return traces


def _legend_bar(
    name: str, colour: str, row: str, *, group: str = "", pattern: str = "", opacity=1
) -> dict:
    """A bar of no length on an existing row: it only puts an entry in the legend."""
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "legendgroup": group or name,
        "x": [None],
        "y": [row],
        "opacity": opacity,
        "marker": {
            "color": colour,
            "line": {"color": "#1b1f24", "width": 0.5},
            "pattern": _pattern(pattern),
        },
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _row_heading(row: CityStage, width: int = 46) -> str:
    """The row's heading on a phone: "Boston, MA · Advanced, January 2017"; on two lines
    when it would not fit on one."""
    if not row.assessed:
        detail = "not assessed"
    else:
        detail = f"{row.current_name}, {row.period_label}"
        if row.backslid:
            detail += f" (peak {row.peak_name})"
        elif row.below_peak:
            detail += f" (peak {row.peak_name}, possible loss)"
    joiner = " · " if len(row.label) + len(detail) + 3 <= width else "<br>"
    return f"<b>{_escape(row.label)}</b>{joiner}{_escape(detail)}"


def _narrow(
    rows: Sequence[CityStage], data: list[dict], text_traces: list[int], *, findings: bool
) -> dict:
    most = max((len(row.findings) for row in rows), default=0)
    """Phone width: full names with stage and period above each bar, legend on top."""
    # What every row heading shares is said once (a template default), so a 1,000-city
    # figure carries only each heading's text and row.
    heading = {
        "xref": "x",
        "yref": "y",
        "xanchor": "left",
        "yanchor": "bottom",
        "yshift": 8,
        "showarrow": False,
        "align": "left",
        "font": {"size": 11},
    }
    annotations = [{"text": _row_heading(row), "x": 0, "y": row.label} for row in rows]
    legend_px = 22 * legend_rows(legend_names(data), 330) + 50
    narrow = {
        "layout": {
            "yaxis.showticklabels": False,
            "bargap": NARROW_BARGAP,
            "height": NARROW_ROW_PX * len(rows) + 60 + legend_px,
            "template.layout.annotationdefaults": heading,
            "annotations": annotations,
            "legend.font.size": 11,
            "xaxis.tickangle": -45,
            "xaxis.tickfont.size": 10,
        },
    }
    if findings:
        narrow["layout"]["xaxis.domain"] = NARROW_MAIN_DOMAIN
        narrow["layout"]["xaxis2.domain"] = NARROW_FINDINGS_DOMAIN
        narrow["layout"]["xaxis2.range"] = [-0.5, max(2, most) - 0.5]
        narrow["layout"]["xaxis2.tickvals"] = [(max(2, most) - 1) / 2]
        narrow["layout"]["xaxis2.ticktext"] = ["Findings"]
        narrow["layout"]["xaxis2.ticklabelposition"] = "outside"
    if text_traces:
        narrow["data"] = {"visible": False}
        narrow["traces"] = text_traces
    return narrow
