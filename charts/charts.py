"""Plotly figures built by pure functions: selector output in, a figure dict out.

The dicts are plain Plotly JSON (``{"data": [...], "layout": {...}}``), embedded with
``json_script`` and drawn by static/js/dashboard.js; the tests check them with
``plotly.graph_objects.Figure`` so every attribute is valid for plotly.js. Building dicts
rather than graph objects keeps a 1,000-city page fast.

Every figure speaks the chart language of chart_style.py (colours, symbols) on the stage
scale of scale.py, so a stage, a city or an event looks the same on every page. Figure 6
is in progress_chart.py, the timelines in timeline_chart.py, Figure 7 in matrix_chart.py.
"""

from __future__ import annotations

from collections.abc import Sequence

from common.choices import LossStatus
from common.labels import count_of

from . import freshness
from .chart_style import (
    GRID,
    LOST_GROUND_COLOUR,
    STALE_COLOUR,
    STALE_SYMBOL,
    WEAK_OPACITY,
    WEAK_PATTERN,
    _base_layout,
    _empty,
    _escape,
    _stage_colour,
    legend_names,
    legend_rows,
)
from .matrix_chart import QUADRANTS, matrix_figure
from .progress_chart import progress_figure
from .rows import DistributionRow
from .timeline_chart import timeline_figure

__all__ = [
    "QUADRANTS",
    "WEAK_PATTERN",
    "distribution_figure",
    "matrix_figure",
    "progress_figure",
    "timeline_figure",
]


# How a loss shows on a distribution bar: Figure 6's orange, as an outline (the fill is the
# stage's colour). A firm loss solid and thick; a possible or reported one lighter and thin.
LOSS_OUTLINES = {
    LossStatus.YES: ("Lost ground since peak (orange outline)", LOST_GROUND_COLOUR, 3),
    LossStatus.POSSIBLE: ("Possible loss (light orange outline)", "rgba(230,159,0,0.55)", 2),
    LossStatus.REPORTED: ("Loss reported by a document (light orange outline)",
                          "rgba(230,159,0,0.55)", 2),
}  # fmt: skip


def distribution_figure(rows: Sequence[DistributionRow], stages: Sequence) -> dict:
    """Stacked bars per year: the cities at each stage at the year's end, on the stage
    scale, with Figure 6's encodings (inferred or low confidence lighter and hatched; a loss
    since the peak outlined in orange, a possible one lighter). Cities with no published
    stage are not drawn; the layout's meta says how many there were in the last period."""
    staged = [row for row in rows if row.stage_order is not None]
    if not staged:
        return _empty("No published assessment on or before this date.")
    ends = sorted({row.period_end for row in rows})
    label_of = {row.period_end: row.period_label for row in rows}
    labels = [label_of[end] for end in ends]
    column = {end: index for index, end in enumerate(ends)}
    data: list[dict] = []
    names = {stage.order: stage.name for stage in stages}
    # Counts per bar (stage, firm, loss) per year, in one pass over the rows.
    by_bar: dict[tuple, list[int]] = {}
    for row in staged:
        key = (row.stage_order, row.firm, row.loss_status)
        by_bar.setdefault(key, [0] * len(ends))[column[row.period_end]] += row.count
    used_weak, used_loss = False, set()
    for stage in stages:
        for firm in (True, False):
            for status in (LossStatus.NO, LossStatus.YES, LossStatus.POSSIBLE,
                           LossStatus.REPORTED, LossStatus.UNKNOWN):  # fmt: skip
                counts = by_bar.get((stage.order, firm, status))
                if not counts or not any(counts):
                    continue
                used_weak |= not firm
                if status in LOSS_OUTLINES:
                    used_loss.add(status)
                data.append(_distribution_bars(stage, firm, status, labels, counts))
    data = _distribution_keys(stages, staged, used_weak, used_loss) + data
    stale = _stale_marks(staged, ends, labels, column)
    if stale:
        data.append(stale)
    last = ends[-1]
    waiting = sum(r.count for r in rows if r.period_end == last and r.stage_order is None)
    return {
        "data": data,
        "layout": _base_layout(
            barmode="stack",
            height=380 + 22 * legend_rows(legend_names(data), 1000),
            bargap=0.25,
            hovermode="closest",
            xaxis={"type": "category", "automargin": True, "fixedrange": True},
            yaxis={
                "title": {"text": "Cities with a published stage"},
                "rangemode": "tozero",
                "automargin": True,
                "gridcolor": GRID,
                "fixedrange": True,
                "dtick": 1 if max(_totals(staged, column, len(ends))) <= 10 else None,
            },
            meta={
                "not_assessed": waiting,
                "stage_names": [names[order] for order in sorted({r.stage_order for r in staged})],
                "narrow": {
                    "layout": {
                        "height": 340 + 22 * legend_rows(legend_names(data), 330),
                        "xaxis.tickangle": -60,
                        "legend.font.size": 11,
                    }
                },
            },
        ),
    }


def _stale_marks(staged, ends, labels, column) -> dict | None:
    """Figure 6's hourglass over each year whose bars rest, in part or whole, on
    assessments older than the stale threshold at the year's end."""
    totals = _totals(staged, column, len(ends))
    stale = [0] * len(ends)
    for row in staged:
        if row.stale:
            stale[column[row.period_end]] += row.count
    marked = [i for i, n in enumerate(stale) if n]
    if not marked:
        return None
    years = freshness.stale_after_years()
    return {
        "type": "scatter",
        "mode": "markers",
        "name": f"Stale: newest assessment over {years} year{'s' if years != 1 else ''} old",
        "x": [labels[i] for i in marked],
        "y": [totals[i] + 0.05 * max(totals) for i in marked],  # just above the bar
        "marker": {"symbol": STALE_SYMBOL, "size": 10, "color": STALE_COLOUR},
        "customdata": [f"{stale[i]} of {totals[i]}" for i in marked],
        "hovertemplate": "End of %{x}: %{customdata} cities rest on an assessment over"
        f" {years} years old<extra></extra>",
        "showlegend": True,
        "cliponaxis": False,
    }


def _totals(rows, column, size) -> list[int]:
    totals = [0] * size
    for row in rows:
        totals[column[row.period_end]] += row.count
    return totals


def _distribution_bars(stage, firm: bool, status: str, labels, counts) -> dict:
    outline = LOSS_OUTLINES.get(status)
    what = stage.name + ("" if firm else ", inferred or low confidence")
    if outline:
        what += (
            f"; {LossStatus(status).label.lower()}"
            if status != LossStatus.YES
            else ("; lost ground since its peak")
        )
    return {
        "type": "bar",
        "name": _escape(what),
        "legendgroup": stage.key,
        "showlegend": False,
        "x": labels,
        "y": counts,
        "opacity": 1 if firm else WEAK_OPACITY,
        "marker": {
            "color": _stage_colour(stage.order),
            "line": {"color": outline[1], "width": outline[2]}
            if outline
            else {"color": "#1b1f24", "width": 0.5},
            "pattern": {
                "shape": "" if firm else WEAK_PATTERN,
                "fillmode": "overlay",
                "fgcolor": "#ffffff",
                "size": 7,
                "solidity": 0.3,
            },
        },
        "customdata": [count_of(n, "city", "cities") for n in counts],
        "hovertemplate": f"End of %{{x}}: %{{customdata}} at {_escape(what)}<extra></extra>",
    }


def _distribution_keys(stages, staged, used_weak: bool, used_loss: set) -> list[dict]:
    """Legend entries for what is drawn: the stages, then the encodings."""
    present = {row.stage_order for row in staged}
    keys = [
        _key_bar(stage.name, _stage_colour(stage.order), group=stage.key)
        for stage in stages
        if stage.order in present
    ]
    if used_weak:
        keys.append(
            _key_bar(
                "Inferred or low confidence (lighter, hatched)",
                "#6baed6",
                pattern=WEAK_PATTERN,
                opacity=WEAK_OPACITY,
            )
        )
    for status, (name, colour, width) in LOSS_OUTLINES.items():
        if status in used_loss:
            keys.append(_key_bar(name, "#ffffff", line=(colour, width)))
    return keys


def _key_bar(name, colour, *, group="", pattern="", opacity=1, line=("#1b1f24", 0.5)) -> dict:
    return {
        "type": "bar",
        "name": name,
        "legendgroup": group or name,
        "x": [None],
        "y": [None],
        "opacity": opacity,
        "marker": {
            "color": colour,
            "line": {"color": line[0], "width": line[1]},
            "pattern": {"shape": pattern, "fillmode": "overlay", "fgcolor": "#ffffff", "size": 7},
        },
        "hoverinfo": "skip",
        "showlegend": True,
    }
