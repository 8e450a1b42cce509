"""The site's chart language: one set of colours, symbols, fonts and empty states that
every figure uses, so a colour or a symbol means the same thing on every page.

- Stages: one sequential blue scale (ColorBrewer Blues), darker = further, so their
  order reads without hue. Inferred or low-confidence stages are lighter and hatched.
- Lost ground: Okabe-Ito orange with white stripes, the only orange in Figure 6.
- Cities: Okabe-Ito (without its yellow, too faint on white) plus wine, indigo and brown:
  ten colours that stay apart under protanopia, deuteranopia and tritanopia (checked by
  tests/charts/test_chart_language.py). A city's colour comes from its slug (a stable
  hash), never from its place in a list, so it is the same on every multi-city chart; only
  when two cities of one chart hash to the same colour does the later slug take the next
  free one. A chart of one city draws it in the ink colour: there is nothing to tell apart.
- Shapes: each shape means one thing on every page. Circles are assessments (open: inferred
  or low confidence); triangles, the square and the diamond are trajectory findings; events
  have shapes of their own (crosses, polygons, a bowtie, line shapes); the hourglass marks
  stale data.
  tests/charts/test_legend_symbols.py collects every chart's legend and fails when a shape
  means two things.
"""

from __future__ import annotations

import zlib
from collections.abc import Iterable

STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
LOST_GROUND_COLOUR = "#E69F00"  # Okabe-Ito orange, with white stripes
NOT_ASSESSED_COLOUR = "#5f6670"
INK = "#1d2733"
MUTED = "#5f6670"
GRID = "#e4e7eb"
WEAK_PATTERN = "x"  # inferred or low-confidence stages: lighter fill, cross-hatched
WEAK_OPACITY = 0.55
STALE_SYMBOL = "hourglass"
STALE_COLOUR = "#8a4b00"

CITY_COLOURS = (
    "#0072B2",  # blue
    "#D55E00",  # vermillion
    "#009E73",  # bluish green
    "#CC79A7",  # reddish purple
    "#56B4E9",  # sky blue
    "#000000",  # black
    "#E69F00",  # orange
    "#882255",  # wine
    "#332288",  # indigo
    "#6b3d00",  # brown
)

ASSESSMENT_SYMBOL, WEAK_ASSESSMENT_SYMBOL = "circle", "circle-open"

# Findings point the way the city went: up, down, onward; stopped (square), mixed (diamond).
FINDING_STYLES = {
    "lost_ground": ("triangle-down", "#D55E00"),
    "stalled": ("square", "#000000"),
    "mixed": ("diamond", "#CC79A7"),
    "progressed": ("triangle-up", "#009E73"),
    "sustained": ("triangle-right", "#0072B2"),
}

# One symbol per event kind (cities.models.EventKind values), on every page: none of them a
# circle (assessments), a finding's shape or the stale hourglass, and no look-alike stars.
EVENT_SYMBOLS = {
    "leadership_transition": "cross",
    "election_or_ballot": "x",
    "fiscal": "hexagon",
    "policy": "bowtie",
    "signing": "pentagon",
    "grant": "star-diamond",
    "publication": "asterisk",
    "meeting": "y-up",
    "initiative_milestone": "hash",
}
OTHER_EVENT_SYMBOL = "y-down"
# Line-only shapes have no inside to fill: they are drawn with their outline alone.
LINE_SYMBOLS = {"asterisk", "y-up", "hash", "y-down"}

FONT = {"family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif", "size": 13}


def event_symbol(kind: str) -> str:
    return EVENT_SYMBOLS.get(kind, OTHER_EVENT_SYMBOL)


def city_colour_index(slug: str) -> int:
    """The city's own place in CITY_COLOURS: a stable hash of its slug (not Python's
    ``hash``, which changes between processes)."""
    return zlib.crc32(slug.encode()) % len(CITY_COLOURS)


def city_colours(slugs: Iterable[str]) -> dict[str, str]:
    """A distinct colour per city, each its own (``city_colour_index``) unless another city
    of the same chart has it already: then the next free one, slugs taken in sorted order,
    so the answer depends on the set of cities alone, never on the order given."""
    taken: set[int] = set()
    colours = {}
    for slug in sorted(set(slugs)):
        index = city_colour_index(slug)
        if len(taken) < len(CITY_COLOURS):
            while index in taken:
                index = (index + 1) % len(CITY_COLOURS)
        taken.add(index)
        colours[slug] = CITY_COLOURS[index]
    return colours


def _base_layout(**extra) -> dict:
    return {
        "font": {**FONT, "color": INK},
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": _legend_above(),
        "hoverlabel": {"align": "left"},
        **extra,
    }


def _legend_above() -> dict:
    """A horizontal legend at the top of the figure, above the plot and any axis labels
    there (container-referenced, so plotly stacks them); it wraps on a phone."""
    return {
        "orientation": "h",
        "x": 0,
        "xanchor": "left",
        "y": 1,
        "yref": "container",
        "yanchor": "top",
        "traceorder": "normal",
        "font": {"size": 12},
    }


def legend_rows(names: Iterable[str], width: int) -> int:
    """About how many rows a horizontal legend of ``names`` takes ``width`` pixels wide, so
    a figure can be made tall enough that its legend does not squeeze the plot. Plotly
    lines a wrapping legend up in columns as wide as its widest entry."""
    names = list(names)
    if not names:
        return 0
    widest = 46 + 6.6 * max(len(name) for name in names)
    per_row = max(1, int(width // widest))
    return -(-len(names) // per_row)


def legend_names(data: list[dict]) -> list[str]:
    return [trace["name"] for trace in data if trace.get("showlegend")]


def legend_symbols(figure: dict) -> dict[str, str]:
    """Each legend entry with a marker: its name and the shape it stands for."""
    return {
        trace["name"]: trace["marker"]["symbol"]
        for trace in figure.get("data", [])
        if trace.get("showlegend")
        and "markers" in trace.get("mode", "")
        and isinstance(trace.get("marker", {}).get("symbol"), str)
    }


def _stage_colour(order: int) -> str:
    return STAGE_COLOURS[min(order, len(STAGE_COLOURS) - 1)]


def _empty(message: str) -> dict:
    """A figure with nothing to draw: the page shows ``message`` as a sentence instead of an
    empty box and offers no download (layout.meta.empty)."""
    return {
        "data": [],
        "layout": _base_layout(
            height=160,
            xaxis={"visible": False},
            yaxis={"visible": False},
            meta={"empty": message},
            annotations=[
                {
                    "text": message,
                    "showarrow": False,
                    "xref": "paper",
                    "yref": "paper",
                    "x": 0.5,
                    "y": 0.5,
                }
            ],
        ),
    }


def empty_message(figure: dict) -> str:
    """The sentence of an empty figure, "" when the figure draws something."""
    return figure.get("layout", {}).get("meta", {}).get("empty", "") if not figure["data"] else ""


def _wrap(text: str, width: int = 60) -> str:
    """Break long hover or label text into lines for a phone-width screen."""
    lines, line = [], ""
    for word in _escape(text).split():
        if line and len(line) + len(word) + 1 > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    if line:
        lines.append(line)
    return "<br>".join(lines)


def _escape(text: str) -> str:
    """Plotly renders a subset of HTML in text; keep document text literal."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
