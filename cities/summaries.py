"""Plain-language summaries of a city's record, generated from its published data."""

from collections.abc import Sequence
from typing import Protocol

from common.choices import StageBasis
from compacts.standing import is_firm


class _Stage(Protocol):
    name: str
    order: int


class _Assessment(Protocol):
    consensus_stage: _Stage
    period_label: str
    stage_provenance: str


class _Finding(Protocol):
    def get_direction_display(self) -> str: ...

    period_as_written: str


def city_summary(
    *, city_name: str, assessments: Sequence[_Assessment], findings: Sequence[_Finding] = ()
) -> str:
    """One or two sentences a reader can take in at a glance.

    ``assessments`` are the city's published assessments in period order. The peak is the
    highest stage reached; ground is lost when the latest stage is below it. Trajectory
    findings are reported as what the research says, never as a stage.
    """
    if not assessments:
        sentence = f"{city_name} has not been placed on a stage by any published assessment."
        if findings:
            latest = findings[-1]
            when = f" ({latest.period_as_written})" if latest.period_as_written else ""
            sentence += f" The research reports: {latest.get_direction_display().lower()}{when}."
        return sentence

    peak = max(assessments, key=lambda a: (a.consensus_stage.order, -_index(assessments, a)))
    current = assessments[-1]
    sentence = f"Reached {peak.consensus_stage.name} by {peak.period_label}; "
    if current.consensus_stage.order < peak.consensus_stage.order:
        at_peak = [a for a in assessments if a.consensus_stage.order == peak.consensus_stage.order]
        if _firm(current) and any(_firm(a) for a in at_peak):
            sentence += f"slid back to {current.consensus_stage.name} by {current.period_label}."
        else:  # compacts.standing's "possible": the peak or the current stage is not firm
            sentence += (
                f"possibly slid back to {current.consensus_stage.name} by"
                f" {current.period_label} (the peak or the current stage is inferred or of"
                " low confidence)."
            )
    else:
        sentence += "no ground lost."
    if current.stage_provenance == StageBasis.INFERRED:
        sentence += " The latest stage is inferred from the text, not stated by it."
    return sentence


def _firm(assessment: _Assessment) -> bool:
    return is_firm(assessment.stage_provenance, getattr(assessment, "stage_confidence", ""))


def _index(items: Sequence, item) -> int:
    return next(i for i, candidate in enumerate(items) if candidate is item)
