"""Stage timelines as a pure function: each city's published stages over time, with its
events, for the city page, the dashboard and the comparison alike.

Time is drawn honestly: a stage is solid over the period it was assessed for (dashed and
with an open marker when it was inferred or rated with low confidence) and carries on
solid to the city's next assessment when that came within the stale threshold. A longer
gap, and everything after a city's last assessment, is a faded dotted line: "no newer
assessment — last assessed January 2017", never a confident flat line to today.

Events sit in a lane of their own under the stages, never on a stage line; a chart of one
city is drawn in ink, several cities each in their own colour (chart_style.city_colours).
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence

from common import dates

from . import freshness, scale
from .chart_style import (
    GRID,
    INK,
    LINE_SYMBOLS,
    MUTED,
    _base_layout,
    _empty,
    _escape,
    _wrap,
    city_colours,
    event_symbol,
    legend_names,
    legend_rows,
)
from .rows import Timeline, TimelineEvent, TimelinePoint

SOLID, WEAK, DOTTED = "solid", "weak", "dotted"
LINE = {
    SOLID: {"dash": "solid", "width": 3},
    WEAK: {"dash": "dash", "width": 2.5},
    DOTTED: {"dash": "dot", "width": 2},
}
OPACITY = {SOLID: 1, WEAK: 0.85, DOTTED: 0.5}
HEIGHT = 400
# The event lane under the stage axis, in pixels: a row for each event that would touch
# an earlier one on a phone (see _events).
LANE_ROW_PX, LANE_PAD_PX, LANE_GAP_PX, STAGE_AREA_PX = 24, 12, 28, 300


def timeline_figure(
    timeline: Timeline,
    stages: Sequence,
    *,
    stale_after_years: int | None = None,
    empty_message: str = "No city chosen for the timeline.",
) -> dict:
    """Stage over time per city, events as symbols in a lane of their own under it;
    several cities overlay, nudged apart so none hides another. ``empty_message`` is shown
    when there is no city to draw."""
    if not timeline.cities:
        return _empty(empty_message)
    dated = [event for event in timeline.events if event.occurred_on]
    as_of_label = dates.month_label(timeline.as_of)
    if not timeline.points and not dated:
        names = "; ".join(city.label for city in timeline.cities)
        return _empty(
            f"No published assessment or dated event for {names} on or before {as_of_label}."
        )
    years = stale_after_years or freshness.stale_after_years()
    horizon = freshness.horizon(timeline.as_of)
    colours = _colours(timeline)
    count = len(timeline.cities)
    step = min(0.1, 0.4 / count)
    offsets = {c.label: (i - (count - 1) / 2) * step for i, c in enumerate(timeline.cities)}
    points = {city.label: [] for city in timeline.cities}
    for point in sorted(timeline.points, key=lambda p: p.period_start):
        points[point.city_label].append(point)

    data: list[dict] = []
    annotations: list[dict] = []
    styles_used: set[str] = set()
    for city in timeline.cities:
        colour = colours[city.slug]
        own = points[city.label]
        data.append(_city_legend(city.label, city.slug, colour, own))
        data += _rating_bands(city.label, city.slug, colour, own, horizon, offsets[city.label])
        segments = _segments(own, horizon, years, offsets[city.label])
        for style, (xs, ys) in segments.items():
            if xs:
                styles_used.add(style)
                data.append(_segment_trace(city.label, city.slug, colour, style, xs, ys, own))
        if own:
            data.append(_assessment_markers(city.label, city.slug, colour, own, offsets))
            if count == 1 and segments[DOTTED][0] and own[-1].period_last_day < horizon:
                annotations.append(_last_assessed_note(own[-1], horizon, offsets[city.label]))
    start = min([p.period_start for p in timeline.points] + [e.occurred_on for e in dated])
    x_axis = _time_axis(start, horizon)
    lane_rows = 0
    if dated:
        span = (x_axis["range"][1] - x_axis["range"][0]).days
        event_traces, lane_rows = _events(dated, timeline, colours, _marker_days(span))
        data += event_traces
    data += _style_keys(styles_used)
    data += _band_key(data)
    data += _event_keys(dated)
    names = legend_names(data)
    lane_px = LANE_ROW_PX * lane_rows + LANE_PAD_PX if lane_rows else 0
    layout = _base_layout(
        height=HEIGHT + lane_px + 22 * legend_rows(names, 820),
        hovermode="closest",
        annotations=annotations,
        xaxis=x_axis,
        yaxis=scale.stage_axis(stages, pad=0.6),
        meta={
            "narrow": {
                "layout": {
                    "height": 340 + lane_px + 22 * legend_rows(names, 330),
                    "xaxis.dtick": _narrow_dtick(x_axis["dtick"]),
                    "legend.font.size": 11,
                    # Too long for a phone: the legend entry says "last assessed".
                    "annotations": [],
                }
            }
        },
    )
    if lane_rows:
        _add_event_lane(layout, lane_rows, lane_px)
    return {"data": data, "layout": layout}


def _colours(timeline: Timeline) -> dict[str, str]:
    """A chart of one city in ink (nothing to tell apart); several in their own colours."""
    if len(timeline.cities) == 1:
        return {timeline.cities[0].slug: INK}
    return city_colours(city.slug for city in timeline.cities)


def _add_event_lane(layout: dict, rows: int, lane_px: int) -> None:
    """Events get a lane of their own under the stage axis (yaxis2), ``rows`` rows deep;
    the time axis runs under the lane."""
    stage_px = STAGE_AREA_PX
    split = lane_px / (lane_px + LANE_GAP_PX + stage_px)
    layout["yaxis"]["domain"] = [split + LANE_GAP_PX / (lane_px + LANE_GAP_PX + stage_px), 1]
    layout["yaxis2"] = {
        "domain": [0, split],
        "range": [rows - 0.4, -0.6],  # the first row at the top, under the stages
        "tickmode": "array",
        "tickvals": [(rows - 1) / 2],
        "ticktext": ["Events"],
        "showgrid": False,
        "zeroline": False,
        "fixedrange": True,
        "automargin": True,
        "showline": True,
        "linecolor": GRID,
    }
    layout["xaxis"]["anchor"] = "y2"


def _segments(
    own: list[TimelinePoint], horizon: datetime.date, years: int, offset: float
) -> dict[str, tuple[list, list]]:
    """Line segments per style, as x/y lists with None between segments."""
    out: dict[str, tuple[list, list]] = {SOLID: ([], []), WEAK: ([], []), DOTTED: ([], [])}

    def add(style, x0, y0, x1, y1):
        xs, ys = out[style]
        if xs and xs[-2] == x0 and ys[-2] == y0:
            # Carries on from where this style's line ended: one polyline, not a new
            # segment repeating that point (the same line in half the page weight).
            xs[-1:] = [x1, None]
            ys[-1:] = [y1, None]
        else:
            xs += [x0, x1, None]
            ys += [y0, y1, None]

    for index, point in enumerate(own):
        y = scale.position(point.stage_order) + offset
        style = WEAK if point.weak else SOLID
        following = own[index + 1] if index + 1 < len(own) else None
        end = max(point.period_start, min(point.period_last_day, horizon))
        if following is not None:
            end = min(end, following.period_start)
        add(style, point.period_start, y, end, y)
        if following is None:
            if end < horizon:
                add(DOTTED, end, y, horizon, y)
            continue
        next_y = scale.position(following.stage_order) + offset
        gap = dates.months_between(point.period_start, following.period_start)
        bridge = DOTTED if gap > 12 * years else style
        if following.period_start > end:
            add(bridge, end, y, following.period_start, y)
        add(bridge, following.period_start, y, following.period_start, next_y)
    return out


BAND_NAME = "Range of the researchers' ratings (band)"


def _rating_bands(label, slug, colour, own, horizon: datetime.date, offset: float) -> list[dict]:
    """Around the stage line, a pale band from the lowest to the highest rated stage of each
    assessment whose researchers disagreed, while that stage stands (to the next assessment
    or the as-of month); hover says the range (the publish snapshot, never who rated what)."""
    bands = []
    for index, point in enumerate(own):
        claim = point.claim
        if claim is None or not claim.has_range:
            continue
        following = own[index + 1] if index + 1 < len(own) else None
        x0 = point.period_start
        x1 = following.period_start if following else max(x0, horizon)
        low = scale.position(claim.low_order) + offset - 0.12
        high = scale.position(claim.high_order) + offset + 0.12
        bands.append(
            {
                "type": "scatter",
                "mode": "lines",
                "name": BAND_NAME,
                "legendgroup": slug,
                "showlegend": False,
                "x": [x0, x1, x1, x0, x0],
                "y": [low, low, high, high, low],
                "fill": "toself",
                "fillcolor": colour,
                "opacity": 0.18,
                "line": {"width": 0, "color": colour},
                "hoveron": "fills",
                "text": _wrap(
                    f"{label}, {point.period_label}: {claim.basis_words(stage=point.stage_name)}"
                ),
                "hoverinfo": "text",
            }
        )
    return bands


def _band_key(data: list[dict]) -> list[dict]:
    """A legend entry for the rating band, when one is drawn."""
    if not any(trace.get("name") == BAND_NAME for trace in data):
        return []
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": BAND_NAME,
            "x": [None],
            "y": [None],
            "marker": {"symbol": "square", "size": 14, "color": INK, "opacity": 0.25},
            "hoverinfo": "skip",
            "showlegend": True,
        }
    ]


def _city_legend(label: str, slug: str, colour: str, own: list[TimelinePoint]) -> dict:
    """The city's legend entry: its colour, and when it was last assessed."""
    name = f"{label} · last assessed {own[-1].period_label}" if own else f"{label} · not assessed"
    return {
        "type": "scatter",
        "mode": "lines+markers",
        "name": _escape(name),
        "legendgroup": slug,
        "x": [None],
        "y": [None],
        "line": {"color": colour, "width": 3},
        "marker": {"symbol": "circle", "size": 8, "color": colour},
        "hoverinfo": "skip",
        "showlegend": True,
    }


def _segment_trace(label, slug, colour, style, xs, ys, own) -> dict:
    trace = {
        "type": "scatter",
        "mode": "lines",
        "name": f"{_escape(label)} ({style})",
        "legendgroup": slug,
        "showlegend": False,
        "x": xs,
        "y": ys,
        "opacity": OPACITY[style],
        "line": {**LINE[style], "color": colour, "shape": "linear"},
        "hoverinfo": "skip",
    }
    if style == DOTTED and own:
        trace.pop("hoverinfo")
        trace["hovertemplate"] = (
            f"<b>{_escape(label)}</b><br>No assessment in this span"
            f" (last assessed {own[-1].period_label})<extra></extra>"
        )
    return trace


def _assessment_markers(label, slug, colour, own, offsets) -> dict:
    return {
        "type": "scatter",
        "mode": "markers",
        "name": _escape(label),
        "legendgroup": slug,
        "showlegend": False,
        "x": [p.period_start for p in own],
        "y": [scale.position(p.stage_order) + offsets[label] for p in own],
        "marker": {
            "symbol": ["circle-open" if p.weak else "circle" for p in own],
            "size": 10,
            "color": colour,
            "line": {"width": 2, "color": colour},
        },
        "customdata": [
            [p.period_label, p.stage_name, p.basis.value, p.confidence or "not recorded"]
            for p in own
        ],
        "hovertemplate": f"<b>{_escape(label)}</b><br>%{{customdata[0]}}: %{{customdata[1]}}"
        " (%{customdata[2]}, confidence %{customdata[3]})<extra></extra>",
        "cliponaxis": False,
    }


def _last_assessed_note(last: TimelinePoint, horizon: datetime.date, offset: float) -> dict:
    """The label of the dotted line after the last assessment, at its right end."""
    return {
        "text": f"no newer assessment — last assessed {last.period_label}",
        "x": horizon,
        "y": scale.position(last.stage_order) + offset,
        "xref": "x",
        "yref": "y",
        "xanchor": "right",
        "yanchor": "bottom",
        "yshift": 4,
        "showarrow": False,
        "font": {"size": 11, "color": MUTED},
    }


def _marker_days(span_days: int) -> int:
    """How many days an event's marker covers on a phone (a plot about 280 px wide, a
    marker and its gap about 15 px): events closer than this go to separate rows."""
    return max(31, span_days * 15 // 280)


def _events(dated, timeline: Timeline, colours, apart_days: int) -> tuple[list[dict], int]:
    """One trace per event kind, in the event lane. Events closer in time than
    ``apart_days`` (of any of the cities) are put in separate rows, each in the first row
    where it touches no other, so none hides another even on a phone. Returns the traces
    and the number of rows the lane needs."""
    slug_of = {city.label: city.slug for city in timeline.cities}
    row_of: dict[int, int] = {}
    last_in_row: list[datetime.date] = []
    for event in sorted(dated, key=lambda e: (e.occurred_on, e.city_label, e.title)):
        free = next(
            (
                index
                for index, last in enumerate(last_in_row)
                if (event.occurred_on - last).days >= apart_days
            ),
            len(last_in_row),
        )
        if free == len(last_in_row):
            last_in_row.append(event.occurred_on)
        last_in_row[free] = event.occurred_on
        row_of[id(event)] = free
    traces = []
    for kind in dict.fromkeys(e.kind or e.kind_label for e in dated):
        events = [e for e in dated if (e.kind or e.kind_label) == kind]
        symbol = event_symbol(events[0].kind)
        outline = [colours[slug_of[e.city_label]] for e in events]
        traces.append(
            {
                "type": "scatter",
                "mode": "markers",
                "name": f"Event: {_escape(events[0].kind_label.lower())}",
                "legendgroup": f"event-{kind}",
                "showlegend": False,
                "x": [e.occurred_on for e in events],
                "y": [row_of[id(e)] for e in events],
                "yaxis": "y2",
                "marker": {
                    "symbol": symbol,
                    "size": 12,
                    # Outlined in the colour of the city the event belongs to.
                    "color": outline if symbol in LINE_SYMBOLS else "#ffffff",
                    "line": {"color": outline, "width": 2},
                },
                "customdata": [
                    [_escape(e.city_label), e.date_label, _wrap(e.title)] for e in events
                ],
                "hovertemplate": "<b>%{customdata[0]}</b>, %{customdata[1]}<br>"
                + _escape(events[0].kind_label)
                + ": %{customdata[2]}<extra></extra>",
                "cliponaxis": False,
            }
        )
    return traces, len(last_in_row)


def _style_keys(used: set[str]) -> list[dict]:
    """Legend entries explaining the line styles, only for the styles drawn."""
    keys = []
    if WEAK in used:
        keys.append(("Inferred or low confidence (dashed)", WEAK, "circle-open"))
    if DOTTED in used:
        keys.append(("No assessment in this span (dotted)", DOTTED, None))
    return [
        {
            "type": "scatter",
            "mode": "lines+markers" if symbol else "lines",
            "name": name,
            "legendgroup": f"style-{style}",
            "x": [None],
            "y": [None],
            "line": {**LINE[style], "color": INK},
            "opacity": OPACITY[style] if style != DOTTED else 0.8,
            **({"marker": {"symbol": symbol, "size": 9, "color": INK}} if symbol else {}),
            "hoverinfo": "skip",
            "showlegend": True,
        }
        for name, style, symbol in keys
    ]


def _event_keys(dated: list[TimelineEvent]) -> list[dict]:
    """One legend entry per event kind shown: its symbol, outlined in ink."""
    kinds = dict.fromkeys((e.kind or e.kind_label, e.kind, e.kind_label) for e in dated)
    return [
        {
            "type": "scatter",
            "mode": "markers",
            "name": f"Event: {_escape(label.lower())}",
            "legendgroup": f"event-{key}",
            "x": [None],
            "y": [None],
            "marker": {
                "symbol": event_symbol(kind),
                "size": 11,
                "color": INK if event_symbol(kind) in LINE_SYMBOLS else "#ffffff",
                "line": {"color": INK, "width": 1.5},
            },
            "hoverinfo": "skip",
            "showlegend": True,
        }
        for key, kind, label in kinds
    ]


def _time_axis(start: datetime.date, horizon: datetime.date) -> dict:
    """A year axis from a little before the first date to the as-of month (never later)."""
    start = min(start, horizon)
    first = datetime.date(start.year, 1, 1) if start.month <= 4 else start.replace(day=1)
    first = _months_before(first, 8)  # room for a marker at the start, even on a phone
    if dates.months_between(first, horizon) < 24:
        first = _months_before(horizon, 24)
    span = horizon.year - first.year
    dtick = "M12" if span <= 12 else "M24" if span <= 24 else "M60"
    return {
        "type": "date",
        "range": [first, horizon],
        "tickformat": "%Y",
        "dtick": dtick,
        "ticklabelmode": "instant",
        "showgrid": True,
        "gridcolor": GRID,
        "automargin": True,
        "fixedrange": True,
    }


def _months_before(day: datetime.date, months: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months
    return datetime.date(index // 12, index % 12 + 1, 1)


def _narrow_dtick(dtick: str) -> str:
    return {"M12": "M24", "M24": "M48"}.get(dtick, "M120")
