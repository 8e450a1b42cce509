"""The cohort chart: each assessed city's published stage against the years since its
compact was signed, one colour and marker shape per cohort (signing year).

A pure function like those in charts.py: selector output in, a Plotly figure dict out.
Cities with no published assessment are not drawn (never as baseline); the table under
the chart lists them per cohort.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import scale
from .chart_style import (
    CITY_COLOURS,
    GRID,
    NOT_ASSESSED_COLOUR,
    _base_layout,
    _empty,
    _escape,
    legend_names,
    legend_rows,
)
from .rows import Cohort

# Okabe-Ito colours (shared with the city palette) and a shape per cohort, so no meaning
# rests on colour alone; each shape has an "-open" variant for inferred or low-confidence
# stages.
COHORT_COLOURS = CITY_COLOURS
COHORT_SYMBOLS = ("circle", "square", "diamond", "triangle-up", "hexagon", "star", "pentagon")


def cohort_label(cohort: Cohort) -> str:
    """The legend entry: "2010 cohort (3 of 8 cities assessed)"."""
    assessed, total = len(cohort.assessed), len(cohort.cities)
    if not assessed:
        return f"{cohort.signing_year} cohort (none of {total} assessed)"
    return f"{cohort.signing_year} cohort ({assessed} of {total} assessed)"


def cohort_figure(cohorts: Sequence[Cohort], stages: Sequence) -> dict:
    """One step line per assessed city, coloured by cohort; the legend lists every cohort
    in signing-year order (one entry per cohort toggles all its cities), cohorts with no
    assessed city included. Lines are nudged apart so none hides another."""
    if not cohorts:
        return _empty("No city has a compact signing year on record.")
    drawn = [city for cohort in cohorts for city in cohort.assessed]
    if not drawn:
        return _empty("No published assessment on or before this date.")
    step = min(0.06, 0.5 / len(drawn))
    offsets = {id(city): (i - (len(drawn) - 1) / 2) * step for i, city in enumerate(drawn)}
    data: list[dict] = []
    for position, cohort in enumerate(cohorts):
        colour = COHORT_COLOURS[position % len(COHORT_COLOURS)]
        symbol = COHORT_SYMBOLS[position % len(COHORT_SYMBOLS)]
        group = f"cohort-{cohort.signing_year}"
        data.append(_legend_entry(cohort, group, colour, symbol))
        for city in cohort.assessed:
            data.append(
                {
                    "type": "scatter",
                    "mode": "lines+markers",
                    "name": city.label,
                    "legendgroup": group,
                    "showlegend": False,
                    "x": [p.years_since_signing for p in city.points],
                    "y": [scale.position(p.stage_order) + offsets[id(city)] for p in city.points],
                    "line": {"shape": "hv", "color": colour, "width": 2},
                    "marker": {
                        "symbol": [f"{symbol}-open" if p.weak else symbol for p in city.points],
                        "size": 10,
                        "color": colour,
                        "line": {"width": 2, "color": colour},
                    },
                    "customdata": [
                        [
                            p.period_label,
                            f"{p.years_since_signing:g}",
                            p.stage_name,
                            p.basis.value,
                        ]
                        for p in city.points
                    ],
                    "hovertemplate": f"<b>{_escape(city.label)}</b>"
                    f" ({cohort.signing_year} cohort)<br>%{{customdata[0]}},"
                    " %{customdata[1]} years after signing:"
                    " %{customdata[2]} (%{customdata[3]})<extra></extra>",
                }
            )
    xs = [p.years_since_signing for city in drawn for p in city.points]
    names = legend_names(data)
    return {
        "data": data,
        "layout": _base_layout(
            height=400 + 22 * legend_rows(names, 820),
            hovermode="closest",
            # The legend sits above the plot (chart_style), clear of the x axis title. On a
            # phone it wraps to more rows: the figure grows so the plot keeps its height.
            meta={
                "narrow": {
                    "layout": {
                        "height": 360 + 22 * legend_rows(names, 330),
                        "xaxis.title.text": "Years since signing",
                        "xaxis.dtick": 2,
                    }
                }
            },
            xaxis={
                "title": {"text": "Years since the compact was signed", "standoff": 8},
                "range": [min(0, min(xs)) - 0.5, max(xs) + 0.5],
                "dtick": 1,
                "zeroline": True,
                "zerolinecolor": "#9aa3ad",
                "gridcolor": GRID,
                "automargin": True,
                "fixedrange": True,
            },
            yaxis=scale.stage_axis(stages),
        ),
    }


def _legend_entry(cohort: Cohort, group: str, colour: str, symbol: str) -> dict:
    """A trace with no data: the cohort's entry in the legend (grey if none assessed)."""
    assessed = bool(cohort.assessed)
    colour = colour if assessed else NOT_ASSESSED_COLOUR
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": cohort_label(cohort),
        "legendgroup": group,
        "x": [None],
        "y": [None],
        "line": {"color": colour, "width": 2, "dash": "solid" if assessed else "dot"},
        "marker": {"symbol": symbol if assessed else f"{symbol}-open", "color": colour, "size": 10},
        "hoverinfo": "skip",
        "showlegend": True,
    }
