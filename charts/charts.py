"""Plotly figures built by pure functions: selector output in, a figure dict out.

The dicts are plain Plotly JSON (``{"data": [...], "layout": {...}}``), embedded with
``json_script`` and drawn by static/js/dashboard.js; the tests check them with
``plotly.graph_objects.Figure`` so every attribute is valid for plotly.js. Building dicts
rather than graph objects keeps a 1,000-city page fast.

Colours are colour-blind safe: stages run through one sequential blue scale (ColorBrewer
Blues) so their order reads without hue, and everything else uses Okabe-Ito colours plus
a pattern or marker shape, so no meaning rests on colour alone.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from compacts.choices import StageBasis

from .chart_style import (
    CITY_COLOURS,
    EVENT_SYMBOLS,
    FINDING_STYLES,
    INFERRED_PATTERN,
    LOST_GROUND_COLOUR,
    NOT_ASSESSED_COLOUR,
    _base_layout,
    _empty,
    _escape,
    _stage_colour,
    _wrap,
)
from .matrix_chart import QUADRANTS, matrix_figure
from .rows import CityStage, Distribution, Timeline

__all__ = [
    "INFERRED_PATTERN",
    "QUADRANTS",
    "distribution_figure",
    "matrix_figure",
    "progress_figure",
    "timeline_figure",
]


def progress_figure(rows: Sequence[CityStage], stages: Sequence) -> dict:
    """Figure 6: a bar per city to its current stage, the ground lost since its peak drawn
    hatched in orange, "not assessed" rows as text, trajectory findings as markers.

    Bars run across stage bands: a city at stage ``order`` fills bands 0..order, so the
    bar ends at ``order + 1``; ground lost spans ``current + 1`` to ``peak + 1``.
    """
    if not rows:
        return _empty("No cities match these filters.")
    labels = [row.label for row in rows]
    n_stages = len(stages)
    data: list[dict] = []
    for stage in stages:
        # A legend entry for every stage, in stage order, whether or not a city is at it.
        data.append(_legend_bar(stage.name, _stage_colour(stage.order), group=stage.key))
        for inferred in (False, True):
            at_stage = [
                row
                for row in rows
                if row.current_order == stage.order
                and (row.current_basis == StageBasis.INFERRED) == inferred
            ]
            if at_stage:
                data.append(_stage_bars(stage, at_stage, inferred))
    if any(row.current_basis == StageBasis.INFERRED for row in rows):
        data.append(
            _legend_bar(
                "Stage inferred, not stated (cross-hatched)", "#ffffff", pattern=INFERRED_PATTERN
            )
        )
    lost = [row for row in rows if row.backslid]
    data.append(
        {
            "type": "bar",
            "orientation": "h",
            "name": "Ground lost since peak",
            "x": [row.peak_order - row.current_order for row in lost],
            "y": [row.label for row in lost],
            "base": [row.current_order + 1 for row in lost],
            "customdata": [[row.peak_name, row.current_name] for row in lost],
            "hovertemplate": "<b>%{y}</b><br>Lost ground: peak %{customdata[0]},"
            " now %{customdata[1]}<extra></extra>",
            "marker": {
                "color": LOST_GROUND_COLOUR,
                "line": {"color": "#7a4f00", "width": 1},
                "pattern": {"shape": "/", "fgcolor": "#7a4f00", "size": 8},
            },
            "showlegend": True,
        }
    )
    unassessed = [row for row in rows if not row.assessed]
    if unassessed:
        data.append(
            {
                "type": "scatter",
                "mode": "text",
                "name": "Not assessed (no published stage)",
                "x": [0.05 for _ in unassessed],
                "y": [row.label for row in unassessed],
                "text": ["not assessed" for _ in unassessed],
                "textposition": "middle right",
                "textfont": {"color": NOT_ASSESSED_COLOUR, "size": 12},
                "hovertemplate": "<b>%{y}</b><br>No published assessment<extra></extra>",
                "showlegend": True,
            }
        )
    findings_x = n_stages + 0.3
    for direction, (symbol, colour) in FINDING_STYLES.items():
        points = [
            (row, index, finding)
            for row in rows
            for index, finding in enumerate(row.findings)
            if finding.direction == direction
        ]
        if not points:
            continue
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"Finding: {points[0][2].direction_label.lower()}",
                "x": [findings_x + 0.22 * index for _, index, _ in points],
                "y": [row.label for row, _, _ in points],
                "marker": {"symbol": symbol, "color": colour, "size": 11},
                "customdata": [
                    [f.direction_label, f.period_label, _wrap(f.summary), _wrap(f.evidence)]
                    for _, _, f in points
                ],
                "hovertemplate": "<b>%{y}</b>: %{customdata[0]} (%{customdata[1]})"
                "<br>%{customdata[2]}<br><i>%{customdata[3]}</i><extra></extra>",
                "showlegend": True,
            }
        )
    return {
        "data": data,
        "layout": _base_layout(
            barmode="overlay",
            bargap=0.3,
            height=max(260, 26 * len(rows) + 170),
            xaxis={
                "range": [0, n_stages + 1],
                "tickmode": "array",
                "tickvals": [s.order + 0.5 for s in stages] + [findings_x + 0.1],
                "ticktext": [s.name for s in stages] + ["Findings"],
                "tickangle": -45,
                "showgrid": True,
                "gridcolor": "#e3e6ea",
                "fixedrange": True,
                "side": "top",
                "automargin": True,
            },
            yaxis={
                "type": "category",
                "categoryorder": "array",
                "categoryarray": labels,
                "autorange": "reversed",
                "automargin": True,
                "fixedrange": True,
            },
            legend={"orientation": "h", "x": 0, "y": 0, "yanchor": "top", "traceorder": "normal"},
            # On a phone (static/js/dashboard.js), shorter city names leave room for the bars.
            meta={
                "narrow": {
                    "layout": {
                        "yaxis.tickmode": "array",
                        "yaxis.tickvals": labels,
                        "yaxis.ticktext": [_short(row.name) for row in rows],
                        "yaxis.tickfont.size": 11,
                    }
                }
            },
        ),
    }


def _short(name: str, width: int = 14) -> str:
    return name if len(name) <= width else name[: width - 1].rstrip() + "\N{HORIZONTAL ELLIPSIS}"


def _legend_bar(name: str, colour: str, *, group: str = "", pattern: str = "") -> dict:
    """A bar with no data: it only puts an entry in the legend."""
    return {
        "type": "bar",
        "orientation": "h",
        "name": name,
        "legendgroup": group or name,
        "x": [None],
        "y": [None],
        "marker": {
            "color": colour,
            "line": {"color": "#1b1f24", "width": 1},
            "pattern": {"shape": pattern, "fgcolor": "#1b1f24", "size": 6},
        },
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _stage_bars(stage, rows: Sequence[CityStage], inferred: bool) -> dict:
    return {
        "type": "bar",
        "orientation": "h",
        "name": f"{stage.name} (inferred)" if inferred else stage.name,
        "legendgroup": stage.key,
        "showlegend": False,
        "x": [stage.order + 1 for _ in rows],
        "y": [row.label for row in rows],
        "base": 0,
        "customdata": [
            [
                row.current_name,
                f"{row.current_period:%Y-%m}" if row.current_period else "",
                row.current_basis.value,
                row.peak_name or "",
            ]
            for row in rows
        ],
        "hovertemplate": "<b>%{y}</b><br>Current stage: %{customdata[0]}"
        " (%{customdata[2]}, period %{customdata[1]})"
        "<br>Peak: %{customdata[3]}<extra></extra>",
        "marker": {
            "color": _stage_colour(stage.order),
            "line": {"color": "#1b1f24", "width": 1},
            "pattern": {
                "shape": INFERRED_PATTERN if inferred else "",
                "fgcolor": "#1b1f24",
                "size": 6,
            },
        },
    }


def timeline_figure(timeline: Timeline, stages: Sequence) -> dict:
    """Stage over time per city (a step line), inferred stages as open markers, events as
    symbols on the city's line; several cities overlay, nudged apart so none hides."""
    if not timeline.cities:
        return _empty("No cities match these filters.")
    if not timeline.points and not timeline.events:
        return _empty("No published assessment or event on or before this date.")
    data: list[dict] = []
    count = len(timeline.cities)
    offsets, colours = {}, {}
    for index, city in enumerate(timeline.cities):
        offsets[city.label] = (index - (count - 1) / 2) * 0.06
        points = [p for p in timeline.points if p.city_label == city.label]
        name = city.label if points else f"{city.label} (not assessed)"
        xs = [p.period_start for p in points]
        ys = [p.stage_order + offsets[city.label] for p in points]
        symbols = ["circle-open" if p.basis == StageBasis.INFERRED else "circle" for p in points]
        custom = [[p.stage_name, p.basis.value] for p in points]
        if points and timeline.as_of > points[-1].period_start:
            xs.append(timeline.as_of)
            ys.append(ys[-1])
            symbols.append("line-ns")
            custom.append([points[-1].stage_name, "latest, carried to the as-of date"])
        colour = colours[city.label] = CITY_COLOURS[index % len(CITY_COLOURS)]
        data.append(
            {
                "type": "scatter",
                "mode": "lines+markers",
                "name": name,
                "legendgroup": city.label,
                "x": xs,
                "y": ys,
                "line": {"shape": "hv", "color": colour, "width": 3},
                "marker": {"symbol": symbols, "size": 9, "color": colour, "line": {"width": 2}},
                "customdata": custom,
                "hovertemplate": f"<b>{_escape(city.label)}</b><br>%{{x|%Y-%m}}:"
                " %{customdata[0]} (%{customdata[1]})<extra></extra>",
            }
        )
    kinds = sorted({e.kind_label for e in timeline.events if e.occurred_on})
    for kind_index, kind in enumerate(kinds):
        events = [e for e in timeline.events if e.kind_label == kind and e.occurred_on]
        data.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"Event: {kind.lower()}",
                "x": [e.occurred_on for e in events],
                "y": [
                    _stage_on(timeline, e.city_label, e.occurred_on) + offsets[e.city_label]
                    for e in events
                ],
                "marker": {
                    "symbol": EVENT_SYMBOLS[kind_index % len(EVENT_SYMBOLS)],
                    "size": 12,
                    "color": "#ffffff",
                    # Outlined in the colour of the city the event belongs to.
                    "line": {"color": [colours[e.city_label] for e in events], "width": 2},
                },
                "customdata": [
                    [e.city_label, e.date_as_written or f"{e.occurred_on:%Y-%m-%d}", _wrap(e.title)]
                    for e in events
                ],
                "hovertemplate": "<b>%{customdata[0]}</b>, %{customdata[1]}<br>"
                + _escape(kind)
                + ": %{customdata[2]}<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": _base_layout(
            height=420,
            hovermode="closest",
            # On a phone the legend wraps to many rows: give it room below the plot.
            meta={"narrow": {"layout": {"height": 420 + 22 * (count + len(kinds))}}},
            xaxis={"type": "date", "automargin": True, "gridcolor": "#e3e6ea"},
            yaxis={
                "range": [-1.4, len(stages) - 0.5],
                "tickmode": "array",
                "tickvals": [-1] + [s.order for s in stages],
                "ticktext": ["Not assessed"] + [s.name for s in stages],
                "automargin": True,
                "gridcolor": "#e3e6ea",
                "zeroline": False,
                "fixedrange": True,
            },
        ),
    }


def _stage_on(timeline: Timeline, city_label: str, day: datetime.date) -> float:
    """The city's stage on ``day`` for placing an event marker; -1 when not yet assessed."""
    stage = -1
    for point in timeline.points:
        if point.city_label == city_label and point.period_start <= day:
            stage = point.stage_order
    return stage


def distribution_figure(distribution: Distribution, stages: Sequence) -> dict:
    """Stacked bars per assessed period: cities per stage (baseline at the bottom), with the
    cities not assessed in that period stacked on top in grey, dotted."""
    if distribution.total == 0:
        return _empty("No cities match these filters.")
    if not distribution.periods:
        return _empty("No published assessment on or before this date.")
    periods = [f"{p:%Y-%m}" for p in distribution.periods]
    data = [
        {
            "type": "bar",
            "name": stage.name,
            "x": periods,
            "y": list(distribution.counts[stage.order]),
            "marker": {
                "color": _stage_colour(stage.order),
                "line": {"color": "#1b1f24", "width": 0.5},
            },
            "hovertemplate": f"%{{x}}: %{{y}} cities at {_escape(stage.name)}<extra></extra>",
        }
        for stage in stages
    ]
    data.append(
        {
            "type": "bar",
            "name": "Not assessed",
            "x": periods,
            "y": list(distribution.not_assessed),
            "marker": {
                "color": "#e0e0e0",
                "line": {"color": NOT_ASSESSED_COLOUR, "width": 0.5},
                "pattern": {"shape": ".", "fgcolor": NOT_ASSESSED_COLOUR, "size": 6},
            },
            "hovertemplate": "%{x}: %{y} cities not assessed<extra></extra>",
        }
    )
    return {
        "data": data,
        "layout": _base_layout(
            barmode="stack",
            height=380,
            xaxis={"type": "category", "automargin": True},
            yaxis={
                "title": {"text": "Cities"},
                "rangemode": "tozero",
                "automargin": True,
                "gridcolor": "#e3e6ea",
                "fixedrange": True,
            },
        ),
    }
