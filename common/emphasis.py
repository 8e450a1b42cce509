"""Markdown marks in quoted text, one rule for pages and files.

The seeded documents are Markdown renderings of the reports, and citations quote them
verbatim (the seed checks that), so a quote can carry the Markdown's marks: emphasis
asterisks (``*Advanced*``), backslash escapes, footnote markers as ``^{*}`` and links as
``[text](#)``. The stored quote, the exports of records and the releases keep the marks;
tables, headings and CSV downloads show the words: ``plain`` for text and CSV, ``to_html``
for pages (emphasis as <em>).
"""

import html
import re

_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_SUPERSCRIPT = re.compile(r"\^\{([^}]*)\}")
_ESCAPED_EMPHASIS = re.compile(r"\\\*(.+?)\\\*")
# *word* or **words**: a mark, text that neither starts nor ends with a space, the same
# mark, not inside a word. A lone "*" ("* Indicates seven cities ...") is no emphasis.
_EMPHASIS = re.compile(r"(?<![\w*])(\*\*|\*)(?=\S)(.+?)(?<=\S)\1(?![\w*])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$])")
# Every mark above starts with one of these; text without any has none (most cells).
_MARK_STARTS = re.compile(r"[*\\\[^]")


def _words(text: str) -> str:
    text = _LINK.sub(r"\1", text)
    text = _SUPERSCRIPT.sub(r"\1", text)
    return _ESCAPED_EMPHASIS.sub(r"\1", text)


def plain(text: str) -> str:
    """``text`` without its Markdown marks: "the *Advanced* stage" -> "the Advanced stage",
    "Boston, MA^{*}" -> "Boston, MA*"."""
    return _ESCAPE.sub(r"\1", _EMPHASIS.sub(r"\2", _words(text)))


def to_html(text: str) -> str:
    """``text`` escaped for HTML without its Markdown marks, emphasis as <em> (and
    ``**strong**`` as <strong>)."""

    def tag(match: re.Match) -> str:
        name = "strong" if match.group(1) == "**" else "em"
        return f"\0{name}\1{match.group(2)}\0/{name}\1"

    if not _MARK_STARTS.search(text):
        return html.escape(text)
    marked = _ESCAPE.sub(r"\1", _EMPHASIS.sub(tag, _words(text)))
    return html.escape(marked).replace("\0", "<").replace("\1", ">")
