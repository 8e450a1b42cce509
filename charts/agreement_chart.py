"""Agreement over time: Krippendorff's alpha between researchers per period, for leads.

A pure function like those in charts.py: plain rows in, a Plotly figure dict out. A period
with too few cases (or an undefined alpha) is not drawn as a number: it sits on the axis
as an open grey marker whose hover says "not enough cases", and the table under the chart
says the same.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from .chart_style import CITY_COLOURS, GRID, MUTED, _base_layout, _empty

# Krippendorff's customary bar for relying on data (alpha >= 0.8; 0.667 for tentative
# conclusions): drawn as a reference, not a rule the site enforces.
RELIABLE = 0.8


@dataclass(frozen=True)
class AlphaPoint:
    period: int  # a year
    alpha: float | None
    items: int
    enough: bool


def agreement_over_time_figure(points: Sequence[AlphaPoint]) -> dict:
    """One line of alpha per period over the periods with enough cases; the others as
    open markers on the axis, hovering "not enough cases (n items)"."""
    if not points:
        return _empty("No assessment has two first ratings yet.")
    shown = [p for p in points if p.enough]
    short = [p for p in points if not p.enough]
    lowest = min([0.0, *(p.alpha for p in shown)])
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": "Alpha (ordinal)",
            "x": [p.period for p in shown],
            "y": [round(p.alpha, 3) for p in shown],
            "customdata": [p.items for p in shown],
            "line": {"color": CITY_COLOURS[0], "width": 2},
            "marker": {"size": 9, "color": CITY_COLOURS[0]},
            "hovertemplate": "%{x}: alpha %{y:.3f} over %{customdata} assessments<extra></extra>",
            "showlegend": True,
        },
        {
            "type": "scatter",
            "mode": "markers",
            "name": "Not enough cases",
            "x": [p.period for p in short],
            "y": [lowest for _ in short],
            "customdata": [p.items for p in short],
            "marker": {"size": 9, "color": MUTED, "symbol": "circle-open"},
            "hovertemplate": "%{x}: not enough cases (%{customdata} assessments)<extra></extra>",
            "showlegend": bool(short),
        },
    ]
    layout = _base_layout(
        height=320,
        margin={"l": 50, "r": 10, "t": 40, "b": 40},
        xaxis={"title": {"text": "Period"}, "dtick": 1, "tickformat": "d", "gridcolor": GRID},
        yaxis={
            "title": {"text": "Alpha"},
            "range": [lowest - 0.05, 1.05],
            "gridcolor": GRID,
            "zeroline": True,
        },
        shapes=[
            {
                "type": "line",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": RELIABLE,
                "y1": RELIABLE,
                "line": {"color": MUTED, "dash": "dot", "width": 1},
            }
        ],
        annotations=[
            {
                "text": f"{RELIABLE}: usual bar for reliable data",
                "xref": "paper",
                "x": 1,
                "xanchor": "right",
                "y": RELIABLE,
                "yanchor": "bottom",
                "showarrow": False,
                "font": {"size": 11, "color": MUTED},
            }
        ],
    )
    return {"data": data, "layout": layout}
