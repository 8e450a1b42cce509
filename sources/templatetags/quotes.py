"""Quotes as a reader sees them in the document.

The seeded documents are Markdown renderings of the reports, and citations quote them
verbatim (the seed checks that), so a quote can carry the Markdown's marks: emphasis
asterisks, backslash escapes, footnote markers as ``^{*}`` and links as ``[text](#)``.
Pages show the words; the stored quote, the exports and the releases keep the marks.
"""

from django import template

from common import emphasis

register = template.Library()


@register.filter
def as_read(quote: str) -> str:
    """``quote`` without its Markdown marks: "Boston, MA^{*}" reads "Boston, MA*"
    (common.emphasis.plain, the rule the CSV downloads use too)."""
    return emphasis.plain(quote)
