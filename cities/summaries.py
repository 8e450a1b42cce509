"""Plain-language summaries of a city's record, generated from its published data."""

import datetime
from collections.abc import Sequence
from typing import Protocol

from charts import freshness
from common import dates
from common.choices import LossStatus, StageBasis
from compacts.models import FindingNaming, TrajectoryDirection
from compacts.standing import PeriodStage, loss_status


class _Stage(Protocol):
    name: str
    order: int


class _Assessment(Protocol):
    consensus_stage: _Stage
    period_label: str
    period_start: datetime.date
    period_precision: str
    stage_provenance: str
    stage_confidence: str


class _Finding(Protocol):
    def get_direction_display(self) -> str: ...

    direction: str
    naming: str
    period_as_written: str


def city_summary(
    *,
    city_name: str,
    assessments: Sequence[_Assessment],
    findings: Sequence[_Finding] = (),
    as_of: datetime.date | None = None,
) -> str:
    """One or two sentences a reader can take in at a glance.

    ``assessments`` are the city's published assessments in period order, ``findings`` its
    trajectory findings known by ``as_of``. The peak is the highest stage reached; whether
    ground was lost is ``compacts.standing.loss_status`` (the site's one rule), dated by the
    latest stage. With ``as_of``, a latest stage older than the stale threshold says so.
    Trajectory findings are reported as what the research says, never as a stage.
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
    sentence += _loss_clause(assessments, current, peak, findings)
    if current.stage_provenance == StageBasis.INFERRED:
        sentence += " The latest stage is inferred from the text, not stated by it."
    if as_of is not None:
        sentence += _stale_note(current, as_of)
    return sentence


def _loss_clause(assessments, current, peak, findings) -> str:
    """The loss in the words of its LossStatus, dated by the latest stage."""
    reported = any(
        f.direction == TrajectoryDirection.LOST_GROUND and f.naming == FindingNaming.NAMED
        for f in findings
    )
    periods = [
        PeriodStage(a.period_start, a.consensus_stage.order, a.stage_provenance, a.stage_confidence)
        for a in assessments
    ]
    status = loss_status(periods, current.period_start, lost_ground_reported=reported)
    below = current.consensus_stage.order < peak.consensus_stage.order
    stage, when = current.consensus_stage.name, current.period_label
    if status == LossStatus.YES:
        return f"slid back to {stage} by {when}."
    if status == LossStatus.POSSIBLE and below:
        return (
            f"possibly slid back to {stage} by {when} (a stage this rests on is inferred or"
            " of low confidence)."
        )
    if status == LossStatus.NO:
        return f"no ground lost by {when}."
    where = f"at {stage} by {when}"
    return f"{where}; a document reports that it lost ground."


def _stale_note(current, as_of: datetime.date) -> str:
    years = freshness.stale_after_years()
    if not freshness.is_stale(current.period_start, as_of, years):
        return ""
    age = dates.age_label(freshness.age_months(current.period_start, as_of))
    return (
        f" Stale: the latest published assessment is for {current.period_label},"
        f" {age} before {dates.month_label(as_of)}, so this may no longer hold."
    )


def _index(items: Sequence, item) -> int:
    return next(i for i, candidate in enumerate(items) if candidate is item)
