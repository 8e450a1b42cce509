"""One stage scale for every chart: where a stage sits on an axis.

A stage of order ``k`` (baseline 0 ... Embedded 5) sits at ``k + 1``; "not assessed" sits
at 0. Figure 6's bars run from 0 to their stage's position, the timelines and the cohort
chart draw a stage at its position, and every axis puts the stage's label at that same
position, so a bar ends exactly under its label and a line sits exactly on its gridline.
"""

from __future__ import annotations

from collections.abc import Sequence

from .chart_style import GRID

NOT_ASSESSED = 0
NOT_ASSESSED_LABEL = "Not assessed"


def position(order: int) -> int:
    """Where the stage of ``order`` sits on a stage axis."""
    return order + 1


def top(stages: Sequence) -> int:
    return position(max((s.order for s in stages), default=0))


def ticks(stages: Sequence, *, not_assessed: bool = False) -> tuple[list[int], list[str]]:
    """Tick positions and labels: every stage at its position (and "Not assessed" at 0)."""
    values = [position(s.order) for s in stages]
    labels = [s.name for s in stages]
    if not_assessed:
        values.insert(0, NOT_ASSESSED)
        labels.insert(0, NOT_ASSESSED_LABEL)
    return values, labels


def stage_axis(stages: Sequence, *, not_assessed: bool = False, pad: float = 0.5) -> dict:
    """A value axis of stages: labels at the stage positions, a gridline through each."""
    values, labels = ticks(stages, not_assessed=not_assessed)
    return {
        "range": [min(values, default=NOT_ASSESSED) - pad, top(stages) + pad],
        "tickmode": "array",
        "tickvals": values,
        "ticktext": labels,
        "showgrid": True,
        "gridcolor": GRID,
        "zeroline": False,
        "fixedrange": True,
        "automargin": True,
    }
