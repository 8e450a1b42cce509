"""The chart language, checked on the Plotly figure JSON: one stage scale, fixed encodings,
honest time. Pure data in, figure out: no database, no browser."""

import datetime
import itertools
import math
from types import SimpleNamespace

import plotly.graph_objects as go
import pytest

from charts import chart_style, freshness, scale
from charts.progress_chart import progress_figure
from charts.rows import CityStage, Timeline, TimelineEvent, TimelinePoint
from charts.timeline_chart import timeline_figure
from cities.models import EventKind
from common.choices import StageBasis

STAGES = [
    SimpleNamespace(order=order, key=name.lower(), name=name)
    for order, name in enumerate(
        ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]
    )
]
NOVEMBER_2026 = datetime.date(2026, 11, 30)  # an as-of month: its last day


def row(name, current=None, peak=None, *, period=datetime.date(2017, 1, 1), state="MA"):
    names = {s.order: s.name for s in STAGES}
    return CityStage(
        pk=abs(hash(name)) % 10_000,
        name=name,
        slug=name.lower().replace(" ", "-"),
        state=state,
        signing_year=2011,
        current_order=current,
        current_name=names.get(current),
        current_period=period if current is not None else None,
        current_basis=StageBasis.STATED if current is not None else None,
        peak_order=peak if peak is not None else current,
        peak_name=names.get(peak if peak is not None else current),
        backslid=peak is not None and current is not None and peak > current,
        current_precision="month",
    )


def point(label, day, order, *, precision="month", basis=StageBasis.STATED, confidence="high"):
    return TimelinePoint(
        label, day, order, STAGES[order].name, basis, precision=precision, confidence=confidence
    )


def event(label, day, kind, title="Something happened"):
    return TimelineEvent(label, day, "", EventKind(kind).label, title, kind=kind, precision="day")


def _drawn_bars(figure):
    return [t for t in figure["data"] if t["type"] == "bar" and t["x"] != [None]]


# One stage scale --------------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES, ids=lambda s: s.name)
def test_every_stages_bar_ends_exactly_at_its_label(stage):
    figure = progress_figure([row("Boston", stage.order)], STAGES, as_of=NOVEMBER_2026)
    go.Figure(figure)

    (bar,) = _drawn_bars(figure)
    end = bar["base"] + bar["x"][0]
    axis = figure["layout"]["xaxis"]
    assert axis["ticktext"][axis["tickvals"].index(end)] == stage.name


def test_lost_ground_runs_from_the_current_stages_label_to_the_peaks():
    figure = progress_figure([row("Denver", 1, 4)], STAGES, as_of=NOVEMBER_2026)

    bars = {t["name"]: t for t in _drawn_bars(figure)}
    lost = next(t for name, t in bars.items() if name.startswith("Ground lost"))
    axis = figure["layout"]["xaxis"]
    label_at = dict(zip(axis["tickvals"], axis["ticktext"], strict=True))
    assert label_at[lost["base"][0]] == "Emerging"
    assert label_at[lost["base"][0] + lost["x"][0]] == "Advanced"
    assert lost["marker"]["color"] == chart_style.LOST_GROUND_COLOUR  # orange, as captioned


def test_the_timeline_draws_each_stage_on_its_labels_gridline():
    timeline = Timeline(
        (row("Boston", 4),),
        tuple(point("Boston, MA", datetime.date(2010 + o, 1, 1), o) for o in range(6)),
        (),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)

    (markers,) = [t for t in figure["data"] if t.get("mode") == "markers"]
    axis = figure["layout"]["yaxis"]
    assert [axis["ticktext"][axis["tickvals"].index(y)] for y in markers["y"]] == [
        s.name for s in STAGES
    ]
    assert axis["tickvals"] == scale.ticks(STAGES)[0]


def test_a_legend_lists_only_what_its_chart_shows():
    figure = progress_figure([row("Boston", 4), row("Quiet")], STAGES, as_of=NOVEMBER_2026)

    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert "Advanced" in legend
    assert not {"Baseline", "Emerging", "Basic", "Intermediate", "Embedded"} & set(legend)
    assert not any(name.startswith(("Ground lost", "Inferred", "Finding")) for name in legend)


# Fixed encodings --------------------------------------------------------------------------


def test_every_event_kind_has_its_own_fixed_symbol():
    assert set(chart_style.EVENT_SYMBOLS) == set(EventKind.values)
    symbols = list(chart_style.EVENT_SYMBOLS.values())
    assert len(set(symbols)) == len(symbols)
    assert "circle" not in symbols  # circles are assessments


def test_the_same_event_kind_has_the_same_symbol_whatever_else_a_city_page_shows():
    """Boston's page has an election and a grant, Denver's a grant and a signing: the grant
    is drawn the same on both (it used to take the next free symbol in each)."""
    day = datetime.date(2014, 5, 1)
    boston = timeline_figure(
        Timeline(
            (row("Boston", 4),),
            (),
            (event("Boston, MA", day, "election_or_ballot"), event("Boston, MA", day, "grant")),
            NOVEMBER_2026,
        ),
        STAGES,
    )
    denver = timeline_figure(
        Timeline(
            (row("Denver", 3, state="CO"),),
            (),
            (event("Denver, CO", day, "signing"), event("Denver, CO", day, "grant")),
            NOVEMBER_2026,
        ),
        STAGES,
    )

    def symbols(figure):
        return {
            t["name"]: t["marker"]["symbol"]
            for t in figure["data"]
            if t["name"].startswith("Event:") and not t.get("showlegend")
        }

    assert symbols(boston)["Event: grant"] == symbols(denver)["Event: grant"]
    assert symbols(boston)["Event: grant"] == chart_style.EVENT_SYMBOLS["grant"]
    assert (
        symbols(boston)["Event: election or ballot"]
        == chart_style.EVENT_SYMBOLS["election_or_ballot"]
    )


def test_same_day_events_stay_visible():
    day = datetime.date(2011, 3, 1)
    figure = timeline_figure(
        Timeline(
            (row("Boston", 4), row("Denver", 3, state="CO")),
            (),
            (
                event("Boston, MA", day, "signing"),
                event("Denver, CO", day, "signing"),
                event("Boston, MA", day, "grant"),
            ),
            NOVEMBER_2026,
        ),
        STAGES,
    )

    placed = [
        (x, y)
        for t in figure["data"]
        if t["name"].startswith("Event:") and not t.get("showlegend")
        for x, y in zip(t["x"], t["y"], strict=True)
    ]
    assert len(placed) == 3
    assert sorted(y for _, y in placed) == [0, 1, 2]  # rows of the event lane: none hidden


def _srgb_to_lab(colour: str) -> tuple[float, float, float]:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return _lab([linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)])


def _lab(rgb):
    r, g, b = rgb
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t):
        return t ** (1 / 3) if t > 0.008856 else 7.787 * t + 16 / 116

    return 116 * f(y) - 16, 500 * (f(x) - f(y)), 200 * (f(y) - f(z))


# Machado, Oliveira and Fernandes (2009), full severity, on linear RGB.
DEFICIENCIES = {
    "protanopia": ((0.152286, 1.052583, -0.204868), (0.114503, 0.786281, 0.099216),
                   (-0.003882, -0.048116, 1.051998)),
    "deuteranopia": ((0.367322, 0.860646, -0.227968), (0.280085, 0.672501, 0.047413),
                     (-0.011820, 0.042940, 0.968881)),
    "tritanopia": ((1.255528, -0.076749, -0.178779), (-0.078411, 0.930809, 0.147602),
                   (0.004733, 0.691367, 0.303900)),
}  # fmt: skip


def _as_seen(colour: str, matrix) -> tuple[float, float, float]:
    def linear(c):
        c /= 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    rgb = [linear(int(colour[i : i + 2], 16)) for i in (1, 3, 5)]
    seen = [min(max(sum(m * c for m, c in zip(line, rgb, strict=True)), 0), 1) for line in matrix]
    return _lab(seen)


def test_the_city_palette_has_at_least_eight_colours_that_stay_apart_for_colour_blind_readers():
    palette = chart_style.CITY_COLOURS
    assert len(set(palette)) >= 8
    for name, matrix in DEFICIENCIES.items():
        for a, b in itertools.combinations(palette, 2):
            distance = math.dist(_as_seen(a, matrix), _as_seen(b, matrix))
            assert distance > 15, (name, a, b, round(distance, 1))
    for a, b in itertools.combinations(palette, 2):
        assert math.dist(_srgb_to_lab(a), _srgb_to_lab(b)) > 20


def test_a_citys_colour_depends_on_the_cities_drawn_not_their_order():
    slugs = ["denver", "boston", "chicago", "new-orleans", "camden", "austin"]
    colours = chart_style.city_colours(slugs)

    assert colours == chart_style.city_colours(reversed(slugs))
    assert len(set(colours.values())) == len(slugs)


def test_a_city_keeps_its_colour_in_every_trace_of_a_timeline():
    timeline = Timeline(
        (row("Boston", 4), row("Denver", 3, state="CO")),
        (
            point("Boston, MA", datetime.date(2017, 1, 1), 4),
            point("Denver, CO", datetime.date(2014, 1, 1), 3),
        ),
        (event("Denver, CO", datetime.date(2015, 6, 1), "grant"),),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)
    colours = chart_style.city_colours(["boston", "denver"])

    for trace in figure["data"]:
        if trace.get("legendgroup") in colours and "line" in trace:
            assert trace["line"]["color"] == colours[trace["legendgroup"]]
    (grant,) = [t for t in figure["data"] if t["name"] == "Event: grant" and not t["showlegend"]]
    assert grant["marker"]["line"]["color"] == [colours["denver"]]


# Honest time ------------------------------------------------------------------------------


def _dotted_segments(figure):
    return [t for t in figure["data"] if t.get("line", {}).get("dash") == "dot" and t["x"][0]]


def test_a_2017_assessment_viewed_as_of_2026_is_solid_only_to_its_period_then_marked_stale():
    january = datetime.date(2017, 1, 1)
    timeline = Timeline((row("Boston", 4),), (point("Boston, MA", january, 4),), (), NOVEMBER_2026)
    figure = timeline_figure(timeline, STAGES)
    go.Figure(figure)

    (solid,) = [t for t in figure["data"] if t.get("line", {}).get("dash") == "solid"
                and t.get("showlegend") is False]  # fmt: skip
    solid_days = [x for x in solid["x"] if x is not None]
    assert max(solid_days) == datetime.date(2017, 1, 31)  # its period: January 2017
    (dotted,) = _dotted_segments(figure)
    assert dotted["x"][:2] == [datetime.date(2017, 1, 31), datetime.date(2026, 11, 1)]
    assert dotted["opacity"] < 1
    assert "last assessed January 2017" in dotted["hovertemplate"]
    notes = [a["text"] for a in figure["layout"]["annotations"]]
    assert "no newer assessment — last assessed January 2017" in notes
    legend = [t["name"] for t in figure["data"] if t.get("showlegend")]
    assert "Boston, MA · last assessed January 2017" in legend


def test_a_year_long_assessment_is_solid_through_its_year():
    timeline = Timeline(
        (row("Boston", 4),),
        (point("Boston, MA", datetime.date(2016, 1, 1), 4, precision="year"),),
        (),
        NOVEMBER_2026,
    )
    (solid,) = [
        t
        for t in timeline_figure(timeline, STAGES)["data"]
        if t.get("line", {}).get("dash") == "solid" and t.get("showlegend") is False
    ]
    assert solid["x"][:2] == [datetime.date(2016, 1, 1), datetime.date(2016, 12, 31)]


def test_an_eight_year_gap_between_assessments_is_dotted_not_a_flat_line():
    timeline = Timeline(
        (row("Denver", 3, state="CO"),),
        (
            point("Denver, CO", datetime.date(2009, 1, 1), 2, precision="year"),
            point("Denver, CO", datetime.date(2017, 1, 1), 3, precision="year"),
        ),
        (),
        NOVEMBER_2026,
    )
    dotted = _dotted_segments(timeline_figure(timeline, STAGES))[0]
    assert datetime.date(2009, 12, 31) in dotted["x"]
    assert datetime.date(2017, 1, 1) in dotted["x"]


def test_inferred_and_low_confidence_stages_are_dashed_with_open_markers():
    timeline = Timeline(
        (row("Denver", 3, state="CO"),),
        (
            point("Denver, CO", datetime.date(2014, 1, 1), 2, confidence="low"),
            point("Denver, CO", datetime.date(2016, 1, 1), 3, basis=StageBasis.INFERRED),
        ),
        (),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)

    (markers,) = [t for t in figure["data"] if t.get("mode") == "markers"]
    assert markers["marker"]["symbol"] == ["circle-open", "circle-open"]
    assert any(t.get("line", {}).get("dash") == "dash" for t in figure["data"])
    assert any(t["name"].startswith("Inferred or low confidence") for t in figure["data"])


def test_figure_6_shows_each_bars_period_and_marks_stale_cities():
    rows = [
        row("Boston", 4, period=datetime.date(2017, 1, 1)),
        row("Fresh", 2, period=datetime.date(2025, 3, 1)),
        row("Quiet"),
    ]
    figure = progress_figure(rows, STAGES, as_of=NOVEMBER_2026, stale_after_years=3)

    (periods,) = [t for t in figure["data"] if t["name"] == "Period assessed"]
    assert dict(zip(periods["y"], periods["text"], strict=True)) == {
        "Boston, MA": "January 2017",
        "Fresh, MA": "March 2025",
    }
    (stale,) = [t for t in figure["data"] if t["name"].startswith("Stale")]
    assert stale["y"] == ["Boston, MA"]
    assert stale["marker"]["symbol"] == chart_style.STALE_SYMBOL


def test_the_stale_threshold_is_a_setting(settings):
    settings.STALE_AFTER_YEARS = 10
    figure = progress_figure([row("Boston", 4)], STAGES, as_of=NOVEMBER_2026)

    assert not [t for t in figure["data"] if t["name"].startswith("Stale")]


def test_when_every_assessed_city_is_stale_the_page_is_told_plainly():
    rows = [row("Boston", 4), row("Denver", 3, state="CO"), row("Quiet")]

    note = freshness.stale_summary(rows, NOVEMBER_2026, 3)

    assert note.startswith("Every assessed city is stale")
    assert "January 2017" in note
    assert "November 2026" in note
    assert freshness.stale_summary([row("Fresh", 2, period=datetime.date(2025, 1, 1))],
                                   NOVEMBER_2026, 3) == ""  # fmt: skip


def test_the_newest_assessment_and_its_age_are_stated():
    note = freshness.freshness_note(datetime.date(2017, 1, 1), "month", NOVEMBER_2026, 3)

    assert note == (
        "Newest published assessment: January 2017, 9 years 10 months before November 2026"
        " (older than 3 years: stale)."
    )


def test_a_city_with_no_assessment_gets_a_year_axis_with_its_events():
    timeline = Timeline(
        (row("Tulsa", state="OK"),),
        (),
        (event("Tulsa, OK", datetime.date(2014, 1, 1), "signing"),),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)
    go.Figure(figure)

    axis = figure["layout"]["xaxis"]
    assert axis["type"] == "date"
    assert axis["tickformat"] == "%Y"
    first, last = axis["range"]
    assert (last - first).days > 2 * 365
    assert last <= NOVEMBER_2026


def test_a_city_with_nothing_to_draw_gets_a_sentence_not_an_empty_box():
    figure = timeline_figure(Timeline((row("Tulsa", state="OK"),), (), (), NOVEMBER_2026), STAGES)

    assert figure["data"] == []
    assert chart_style.empty_message(figure) == (
        "No published assessment or dated event for Tulsa, OK on or before November 2026."
    )


def test_no_timeline_runs_past_the_as_of_month():
    timeline = Timeline(
        (row("Boston", 4),),
        (point("Boston, MA", datetime.date(2017, 1, 1), 4),),
        (),
        NOVEMBER_2026,
    )
    figure = timeline_figure(timeline, STAGES)

    days = [x for t in figure["data"] for x in t["x"] if isinstance(x, datetime.date)]
    days.append(figure["layout"]["xaxis"]["range"][1])
    assert max(days) == datetime.date(2026, 11, 1)  # the as-of month, never a later day
