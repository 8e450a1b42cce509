"""The compact localities on a US map (the dashboard's map tab): a pure function from
plain rows to a Plotly figure dict, drawn by plotly.js's geo bundle.

Each marker is coloured on the stage scale (STAGE_COLOURS, the blues of Figure 6); a stale
stage is drawn with the site's stale mark, the hourglass, instead of a circle; never an
outline, which the site keeps for possible losses. Markers are small and labelled on hover
or tap only, so close cities (Boston, Lawrence, Providence ...) do not hide each other
behind permanent text; the table under the map lists every city.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence

from .chart_style import (
    FONT,
    INK,
    NOT_ASSESSED_COLOUR,
    STAGE_COLOURS,
    STALE_SYMBOL,
)
from .tables import DataTable

EMPTY = "No locality with coordinates matches these filters."

SYMBOL = "circle"
SIZE, STALE_SIZE = 10, 15
NARROW_SIZE, NARROW_STALE_SIZE = 7, 11  # on a phone: close cities stay apart


@dataclasses.dataclass(frozen=True)
class MapPoint:
    """One locality on the map: where it is (from the gazetteer) and its stage as of the
    map's month. ``stage_order`` None: not assessed by then."""

    label: str
    latitude: float | None  # None: the gazetteer could not place it (not drawn)
    longitude: float | None
    stage_order: int | None
    stage_name: str
    period_label: str
    stale: bool
    weak: bool = False
    place: str = ""  # the gazetteer's place whose coordinates these are
    basis: str = ""  # how the place was found, in words
    reasoning: str = ""
    source: str = ""

    @property
    def placed(self) -> bool:
        return self.latitude is not None


def _stage_colour(order: int) -> str:
    return STAGE_COLOURS[min(max(order, 0), len(STAGE_COLOURS) - 1)]


def _trace(name: str, points: Sequence[MapPoint], colour: str) -> dict:
    """The markers of one stage. Its legend entry is a separate circle (``_key``): the
    legend shows a trace's first symbol, and a stage's first city may be stale."""
    return {
        "type": "scattergeo",
        "mode": "markers",
        "name": name,
        "legendgroup": name,
        "lat": [p.latitude for p in points],
        "lon": [p.longitude for p in points],
        "text": [p.label for p in points],
        "customdata": [
            [
                p.stage_name or "Not assessed",
                p.period_label or "no published assessment",
                " · stale" if p.stale else "",
                " · inferred or low confidence" if p.weak else "",
            ]
            for p in points
        ],
        "hovertemplate": "<b>%{text}</b><br>%{customdata[0]} (%{customdata[1]})"
        "%{customdata[2]}%{customdata[3]}<extra></extra>",
        "marker": {
            "color": colour,
            # The hourglass is a thin shape: drawn larger than a circle to read as large.
            "size": [STALE_SIZE if p.stale else SIZE for p in points],
            "symbol": [STALE_SYMBOL if p.stale else SYMBOL for p in points],
            # A hairline of the page's white keeps the lightest blue off the land; no
            # coloured outline (outlines mark possible losses).
            "line": {"color": "#ffffff", "width": 0.5},
            "opacity": 0.95,
        },
        "showlegend": False,
    }


def _narrow_sizes(trace: dict) -> list[int] | int:
    sizes = trace["marker"]["size"]
    if not isinstance(sizes, list):
        return sizes
    return [NARROW_STALE_SIZE if size == STALE_SIZE else NARROW_SIZE for size in sizes]


def _key(name: str, colour: str, symbol: str, *, group: str, rank: int) -> dict:
    """A legend entry alone: nothing drawn on the map."""
    return {
        "type": "scattergeo",
        "mode": "markers",
        "name": name,
        "legendgroup": group,
        "lat": [None],
        "lon": [None],
        "marker": {"color": colour, "size": SIZE, "symbol": symbol},
        "hoverinfo": "skip",
        "legendrank": rank,
        "showlegend": True,
    }


def map_figure(points: Sequence[MapPoint], stages: Sequence, *, stale_years: int) -> dict:
    """The localities on a map of the United States (Albers USA: the mainland large,
    Alaska and Hawaii inset), one trace per stage, darker = further."""
    points = [p for p in points if p.placed]
    traces = []
    groups = [("Not assessed", None, NOT_ASSESSED_COLOUR)] + [
        (stage.name, stage.order, _stage_colour(stage.order))
        for stage in sorted(stages, key=lambda s: s.order)
    ]
    for rank, (name, order, colour) in enumerate(groups):
        at = [p for p in points if p.stage_order == order]
        if at:
            traces.append(_trace(name, at, colour))
            traces.append(_key(name, colour, SYMBOL, group=name, rank=rank + 1))
    if any(p.stale for p in points):
        traces.append(
            _key(
                f"Stale: over {stale_years} years old",
                INK,
                STALE_SYMBOL,
                group="stale",
                rank=100,
            )
        )
    layout = {
        "font": {**FONT, "color": INK},
        "paper_bgcolor": "#ffffff",
        "hoverlabel": {"align": "left"},
        "height": 520,
        "margin": {"l": 0, "r": 0, "t": 10, "b": 10},
        "dragmode": False,
        "geo": {
            "scope": "usa",
            "projection": {"type": "albers usa"},
            "resolution": 110,
            "showland": True,
            "landcolor": "#f1f3f5",
            "showlakes": False,
            "subunitcolor": "#ffffff",
            "countrycolor": "#ffffff",
            "bgcolor": "rgba(0,0,0,0)",
        },
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.02,
            "yanchor": "top",
            "font": {"color": INK},
        },
        "meta": {
            # On a phone: a shorter map (Albers USA is about twice as wide as tall) and
            # smaller markers, one list of sizes per trace (legend keys keep theirs).
            "narrow": {
                "layout": {"height": 300},
                "data": {"marker.size": [_narrow_sizes(trace) for trace in traces]},
            }
        },
    }
    if not traces:
        layout["meta"] = {"empty": EMPTY}  # the page says so instead of an empty map
    return {"data": traces, "layout": layout}


def map_table(points: Sequence[MapPoint], *, as_of_label: str) -> DataTable:
    """The map's data as a table: every locality, placed or not, with its stage and where
    its coordinates come from."""
    return DataTable(
        caption=f"Compact localities and their stage as of {as_of_label}, with the source of"
        " each one's coordinates",
        columns=(
            "Locality",
            "Current stage",
            "Period",
            "Stale",
            "Latitude",
            "Longitude",
            "Coordinates of",
            "Coordinates: basis",
            "Coordinates: source",
        ),
        rows=tuple(
            (
                p.label,
                p.stage_name or "Not assessed",
                p.period_label,
                ("yes" if p.stale else "no") if p.stage_order is not None else "",
                p.latitude,
                p.longitude,
                p.place if p.placed else "not on the map",
                f"{p.basis}: {p.reasoning}" if p.reasoning else p.basis,
                p.source,
            )
            for p in points
        ),
    )
