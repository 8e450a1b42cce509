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

from common.labels import count_of

from .chart_style import (
    NOT_ASSESSED_COLOUR,
    WEAK_PATTERN,
    _base_layout,
    _empty,
    _escape,
    _stage_colour,
)
from .matrix_chart import QUADRANTS, matrix_figure
from .progress_chart import progress_figure
from .rows import Distribution
from .timeline_chart import timeline_figure

__all__ = [
    "QUADRANTS",
    "WEAK_PATTERN",
    "distribution_figure",
    "matrix_figure",
    "progress_figure",
    "timeline_figure",
]


def distribution_figure(distribution: Distribution, stages: Sequence) -> dict:
    """Stacked bars per assessed period: cities per stage (baseline at the bottom), with the
    cities not assessed in that period stacked on top in grey, dotted. Only the stages that
    occur are drawn, so the legend lists only what the chart shows."""
    if distribution.total == 0:
        return _empty("No cities match these filters.")
    if not distribution.periods:
        return _empty("No published assessment on or before this date.")
    periods = list(distribution.period_labels)
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
            "customdata": [count_of(n, "city", "cities") for n in distribution.counts[stage.order]],
            "hovertemplate": f"%{{x}}: %{{customdata}} at {_escape(stage.name)}<extra></extra>",
        }
        for stage in stages
        if any(distribution.counts[stage.order])
    ]
    if any(distribution.not_assessed):
        data.append(
            {
                "type": "bar",
                "name": "Not assessed",
                "x": periods,
                "y": list(distribution.not_assessed),
                "marker": {
                    "color": "#eceef1",
                    "line": {"color": NOT_ASSESSED_COLOUR, "width": 0.5},
                    "pattern": {"shape": ".", "fgcolor": NOT_ASSESSED_COLOUR, "size": 6},
                },
                "customdata": [count_of(n, "city", "cities") for n in distribution.not_assessed],
                "hovertemplate": "%{x}: %{customdata} not assessed<extra></extra>",
            }
        )
    return {
        "data": data,
        "layout": _base_layout(
            barmode="stack",
            height=380,
            # A few periods make wide slabs: keep bars bar-shaped.
            bargap=max(0.3, 0.85 - 0.1 * len(periods)),
            xaxis={"type": "category", "automargin": True},
            yaxis={
                "title": {"text": "Cities"},
                "rangemode": "tozero",
                "automargin": True,
                "gridcolor": "#e4e7eb",
                "fixedrange": True,
            },
        ),
    }
