"""The cohort chart: each assessed city's published stage against the years since its
compact was signed, one colour per cohort (signing year), each line named at its end as
Our World in Data labels its lines (cities ending at the same spot share one label).

A pure function like those in charts.py: selector output in, a Plotly figure dict out.
Markers are circles, as assessments are on every chart (open: inferred or low confidence).
Cities with no published assessment are not drawn (never as baseline), and a cohort with
none drawn is not in the legend; the table under the chart lists them per cohort.
"""

from __future__ import annotations

from collections.abc import Sequence

from . import scale
from .chart_style import (
    ASSESSMENT_SYMBOL,
    CITY_COLOURS,
    GRID,
    INK,
    WEAK_ASSESSMENT_SYMBOL,
    _base_layout,
    _empty,
    _escape,
    legend_names,
    legend_rows,
)
from .rows import Cohort

# Okabe-Ito colours (shared with the city palette); the direct labels name every city, so
# no meaning rests on colour alone.
COHORT_COLOURS = CITY_COLOURS


def cohort_label(cohort: Cohort) -> str:
    """The legend entry: "2010 cohort (3 of 8 cities assessed)"."""
    assessed, total = len(cohort.assessed), len(cohort.cities)
    if not assessed:
        return f"{cohort.signing_year} cohort (none of {total} assessed)"
    return f"{cohort.signing_year} cohort ({assessed} of {total} assessed)"


def cohort_figure(cohorts: Sequence[Cohort], stages: Sequence) -> dict:
    """One step line per assessed city, coloured by cohort and named at its last point; the
    legend lists the cohorts drawn in signing-year order (one entry per cohort toggles all
    its cities). Lines are nudged apart so none hides another."""
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
        symbol = ASSESSMENT_SYMBOL
        group = f"cohort-{cohort.signing_year}"
        if cohort.assessed:
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
                        "symbol": [
                            WEAK_ASSESSMENT_SYMBOL if p.weak else symbol for p in city.points
                        ],
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
    data.append(_city_names(drawn, offsets))
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
                # Room on the right for the name centred on the last point.
                "range": [min(0, min(xs)) - 0.5, max(xs) + 1],
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
    """A trace with no data: the cohort's entry in the legend."""
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": cohort_label(cohort),
        "legendgroup": group,
        "x": [None],
        "y": [None],
        "line": {"color": colour, "width": 2},
        "marker": {"symbol": symbol, "color": colour, "size": 10},
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _city_names(drawn, offsets) -> dict:
    """Each line's city named at its last point; cities whose lines end at the same spot
    (same years, same stage) share one label with all their names. Labels on one stage
    alternate above and below their points, so neighbours' names do not run into each
    other or into the next point."""
    spots: dict[tuple, list[str]] = {}
    heights: dict[tuple, list[float]] = {}
    for city in drawn:
        last = city.points[-1]
        spot = (last.years_since_signing, last.stage_order)
        spots.setdefault(spot, []).append(city.label)
        heights.setdefault(spot, []).append(scale.position(last.stage_order) + offsets[id(city)])
    # Names run away from the nearer edge of the plot: leftwards in its right half.
    middle = (min(0, min(x for x, _ in spots)) + max(x for x, _ in spots)) / 2
    positions = {}
    for order in {order for _, order in spots}:
        row = sorted(spot for spot in spots if spot[1] == order)
        for index, spot in enumerate(row):
            side = "left" if spot[0] > middle else "right"
            positions[spot] = f"{'top' if index % 2 == 0 else 'bottom'} {side}"
    return {
        "type": "scatter",
        "mode": "text",
        "name": "City names",
        "showlegend": False,
        "x": [x for x, _ in spots],
        "y": [sum(heights[spot]) / len(heights[spot]) for spot in spots],
        "text": ["<br>".join(_escape(name) for name in names) for names in spots.values()],
        "textposition": [positions[spot] for spot in spots],
        "textfont": {"size": 11, "color": INK},
        "hoverinfo": "skip",
        "cliponaxis": False,
    }
