"""Figure 7, the cost/benefit matrix of initiative types, as a pure function."""

from __future__ import annotations

import math
from collections.abc import Mapping

from .chart_style import _base_layout, _empty, _wrap
from .rows import Matrix

QUADRANTS = (
    ("low", "low", "Low cost, low benefit"),
    ("high", "low", "High cost, low benefit"),
    ("low", "high", "Low cost, high benefit"),
    ("high", "high", "High cost, high benefit"),
)


def matrix_figure(matrix: Matrix, type_links: Mapping[str, str] | None = None) -> dict:
    """Figure 7: the four cost/benefit quadrants with the initiative types placed in them,
    each sized by the cities' initiatives of that type; a click opens the type's list."""
    type_links = type_links or {}
    placed = [tc for tc in matrix.types if tc.type.cost and tc.type.benefit]
    if not placed:
        return _empty("No initiative type is placed on the cost/benefit matrix.")
    position = {"low": 0, "high": 1}
    xs, ys, texts, sizes, custom, widths = [], [], [], [], [], []
    narrow_xs, narrow_ys, narrow_texts = [], [], []
    for cost, benefit, _ in QUADRANTS:
        here = [tc for tc in placed if tc.type.cost == cost and tc.type.benefit == benefit]
        for index, tc in enumerate(here):
            xs.append(position[cost] - 0.3)
            ys.append(position[benefit] + 0.3 - index * 0.6 / max(len(here), 1))
            texts.append(f"{_wrap(tc.type.label, 22)} ({tc.total})")
            narrow_xs.append(position[cost])
            narrow_ys.append(position[benefit] + 0.38 - index * 0.8 / max(len(here), 1))
            narrow_texts.append(f"{_wrap(tc.type.label, 14)} ({tc.total})")
            sizes.append(8 + 4 * math.sqrt(tc.total))
            statuses = ", ".join(f"{n} {s}" for s, n in sorted(tc.by_status.items())) or "none"
            custom.append([tc.type.label, tc.total, statuses, type_links.get(tc.type.key, "")])
            selected = matrix.selected_type is not None and matrix.selected_type.pk == tc.type.pk
            widths.append(3 if selected else 1)
    shapes = [
        {
            "type": "rect",
            "xref": "x",
            "yref": "y",
            "x0": position[cost] - 0.5,
            "x1": position[cost] + 0.5,
            "y0": position[benefit] - 0.5,
            "y1": position[benefit] + 0.5,
            "fillcolor": "#f4f6f8" if (position[cost] + position[benefit]) % 2 else "#ffffff",
            "line": {"color": "#9aa3ad", "width": 1},
            "layer": "below",
        }
        for cost, benefit, _ in QUADRANTS
    ]
    return {
        "data": [
            {
                "type": "scatter",
                "mode": "markers+text",
                "name": "Initiative types (marker area: initiatives)",
                "x": xs,
                "y": ys,
                "text": texts,
                "textposition": "middle right",
                "marker": {
                    "size": sizes,
                    "color": "#56B4E9",
                    "line": {"color": "#1b1f24", "width": widths},
                },
                "customdata": custom,
                "hovertemplate": "<b>%{customdata[0]}</b><br>%{customdata[1]} initiatives:"
                " %{customdata[2]}<br>Click to list them<extra></extra>",
                "cliponaxis": False,
                "showlegend": False,
            }
        ],
        "layout": _base_layout(
            height=460,
            shapes=shapes,
            xaxis={
                "range": [-0.5, 1.5],
                "tickmode": "array",
                "tickvals": [0, 1],
                "ticktext": ["Low cost", "High cost"],
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
                "automargin": True,
                "title": {"text": "Resources or cost required"},
            },
            yaxis={
                "range": [-0.5, 1.5],
                "tickmode": "array",
                "tickvals": [0, 1],
                "ticktext": ["Low<br>benefit", "High<br>benefit"],
                "showgrid": False,
                "zeroline": False,
                "fixedrange": True,
                "automargin": True,
                "title": {"text": "Benefits accrued"},
            },
            # On a phone: labels under the markers, centred in their quadrant.
            meta={
                "narrow": {
                    "data": {
                        "x": [narrow_xs],
                        "y": [narrow_ys],
                        "text": [narrow_texts],
                        "textposition": "bottom center",
                        "textfont.size": 10,
                    },
                    "traces": [0],
                    "layout": {"height": 620},
                }
            },
        ),
    }
