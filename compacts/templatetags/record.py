"""Template filters for the public record's vocabularies, so templates never compare
against bare strings."""

from django import template

from common.choices import LossStatus, StageBasis

register = template.Library()


@register.filter
def is_inferred_basis(basis: str | None) -> bool:
    """True for a stage inferred from a source (not stated, not rated by researchers)."""
    return basis == StageBasis.INFERRED


@register.filter
def loss_label(status: str | None) -> str:
    """The words for how sure a loss is ("Possible loss", "Reported by a document")."""
    return LossStatus(status or LossStatus.UNKNOWN).label


@register.filter
def loss_explained(status: str | None) -> str:
    """What a loss status means, in a sentence after its label."""
    return LOSS_EXPLAINED.get(status or LossStatus.UNKNOWN, "")


LOSS_EXPLAINED = {
    LossStatus.YES: "its current stage is below its peak, and both are firm (stated, or rated"
    " with medium or high confidence).",
    LossStatus.POSSIBLE: "its current stage is below its peak, but one of them is inferred or"
    " of low confidence.",
    LossStatus.REPORTED: "a document names it as having lost ground, and no firm stage says"
    " otherwise.",
    LossStatus.NO: "its current stage is its peak.",
    LossStatus.UNKNOWN: "no published stage.",
}
