"""Quotes as a reader sees them in the document.

The seeded documents are Markdown renderings of the reports, and citations quote them
verbatim (the seed checks that), so a quote can carry the Markdown's marks: emphasis
asterisks, backslash escapes, footnote markers as ``^{*}`` and links as ``[text](#)``.
Pages show the words; the stored quote, the exports and the releases keep the marks.
"""

import re

from django import template

register = template.Library()

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
_ESCAPED_EMPHASIS = re.compile(r"\\\*(.+?)\\\*")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\S)(.+?)(?<=\S)\*(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")


@register.filter
def as_read(quote: str) -> str:
    """``quote`` without its Markdown marks: "Boston, MA^{*}" reads "Boston, MA*"."""
    text = _LINK.sub(r"\1", quote)
    text = _SUPERSCRIPT.sub(r"\1", text)
    text = _ESCAPED_EMPHASIS.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    return _ESCAPE.sub(r"\1", text)
