"""Shared look of the dashboard's figures: colour-blind-safe palettes, fonts, layout,
empty states and text helpers."""

from __future__ import annotations

STAGE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c", "#08306b")
LOST_GROUND_COLOUR = "#E69F00"  # Okabe-Ito orange, hatched
NOT_ASSESSED_COLOUR = "#6b6b6b"
INFERRED_PATTERN = "x"
CITY_COLOURS = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#56B4E9", "#E69F00", "#000000")
FINDING_STYLES = {
    "lost_ground": ("triangle-down", "#D55E00"),
    "stalled": ("square", "#000000"),
    "mixed": ("diamond", "#CC79A7"),
    "progressed": ("triangle-up", "#009E73"),
    "sustained": ("circle", "#0072B2"),
}
EVENT_SYMBOLS = ("star", "diamond", "cross", "triangle-up", "square", "hexagon", "x", "pentagon")
FONT = {"family": "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", "size": 13}


def _base_layout(**extra) -> dict:
    return {
        "font": FONT,
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "margin": {"l": 10, "r": 10, "t": 10, "b": 10},
        "legend": {
            "orientation": "h",
            "x": 0,
            "y": -0.08,
            "yanchor": "top",
            "traceorder": "normal",
        },
        "hoverlabel": {"align": "left"},
        **extra,
    }


def _stage_colour(order: int) -> str:
    return STAGE_COLOURS[min(order, len(STAGE_COLOURS) - 1)]


def _empty(message: str) -> dict:
    return {
        "data": [],
        "layout": _base_layout(
            height=160,
            xaxis={"visible": False},
            yaxis={"visible": False},
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
