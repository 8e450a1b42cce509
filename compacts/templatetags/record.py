"""Template filters for the public record's vocabularies, so templates never compare
against bare strings."""

from django import template

from common.choices import StageBasis

register = template.Library()


@register.filter
def is_inferred_basis(basis: str | None) -> bool:
    """True for a stage inferred from a source (not stated, not rated by researchers)."""
    return basis == StageBasis.INFERRED
