"""Is a quote in its source? The one definition, used by the seed, the workspace and the
quote picker.

A quote typed or pasted by a researcher differs from the stored text in ways that do not
change its words: line breaks and runs of spaces, curly or straight quote marks, the kind
of dash, ligatures from a PDF ("ﬁ"), a word broken across lines by a hyphen, and the
Markdown emphasis and escapes the seeded documents keep (``*Basic*``, ``\\$100,000``).
``normalise`` removes exactly those differences and nothing else: letters, digits, case
and the other punctuation must match.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Written as escapes: the characters themselves look like the ASCII ones they stand for.
_QUOTES = {
    **dict.fromkeys("\u2018\u2019\u201a\u201b\u2032`\u00b4", "'"),
    **dict.fromkeys("\u201c\u201d\u201e\u201f\u2033\u00ab\u00bb", '"'),
}
_DASHES = frozenset("-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d")
_EMPHASIS = frozenset("*")
_ESCAPED = frozenset("$#_*[]()!.&%\\")
_SOFT = frozenset("\u00ad\u200b\u200c\u200d\ufeff")  # soft hyphen, zero-width characters


@dataclass(frozen=True)
class Normalised:
    """Normalised text and, for each of its characters, where it starts in the original."""

    text: str
    origin: tuple[int, ...]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """The original text's (start, end) for normalised ``text[start:end]``."""
        if end <= start:
            return self.origin[start], self.origin[start]
        return self.origin[start], self.origin[end - 1] + 1


def normalise(text: str) -> str:
    """``text`` as quotes are compared: see the module docstring."""
    return _normalise(text).text


@lru_cache(maxsize=8)
def _normalised_document(text: str) -> Normalised:
    """A source's whole text, normalised once (a page of quotes checks against one text)."""
    return _normalise(text)


def _normalise(text: str) -> Normalised:
    out: list[str] = []
    origin: list[int] = []
    pending_space = False
    after_dash = False
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "\\" and i + 1 < n and text[i + 1] in _ESCAPED:
            i += 1  # a Markdown escape: the character after it counts, the backslash not
            ch = text[i]
        elif ch in _EMPHASIS or ch in _SOFT:
            i += 1
            continue
        if ch.isspace():
            pending_space = bool(out) and not after_dash
            i += 1
            continue
        for part in unicodedata.normalize("NFKC", ch):
            part = _QUOTES.get(part, part)
            if part in _DASHES:
                # A dash joins what is either side of it, spaced or not, and a hyphen at
                # the end of a line joins the broken word: dashes and the spaces around
                # them are left out, so "a — b", "a—b" and "a-\nb" all read "ab".
                while out and out[-1] == " ":
                    out.pop()
                    origin.pop()
                pending_space = False
                after_dash = True
                continue
            if part.isspace():
                pending_space = bool(out) and not after_dash
                continue
            if pending_space:
                out.append(" ")
                origin.append(i)
                pending_space = False
            after_dash = False
            out.append(part)
            origin.append(i)
        i += 1
    return Normalised("".join(out), tuple(origin))


@dataclass(frozen=True)
class QuoteCheck:
    """Where ``quote`` is in the text (``found``), or the closest passage to it."""

    found: bool
    passage: str = ""
    start: int | None = None
    end: int | None = None
    similarity: float = 0.0


def find_quote(quote: str, text: str) -> QuoteCheck:
    """Look for ``quote`` in ``text``, both normalised. When it is not there, return the
    passage of the text most like it (``passage``; empty if nothing is alike)."""
    needle = normalise(quote)
    document = _normalised_document(text)
    if not needle:
        return QuoteCheck(found=False)
    at = document.text.find(needle)
    if at >= 0:
        start, end = document.span(at, at + len(needle))
        return QuoteCheck(True, text[start:end], start, end, 1.0)
    return _closest(needle, document, text)


_WORD = re.compile(r"\w+")


def _closest(needle: str, document: Normalised, text: str) -> QuoteCheck:
    """The window of the document with the most words in common with ``needle``, refined
    by character similarity among the best few. Linear in the document's length."""
    wanted = {w.lower() for w in _WORD.findall(needle)}
    words = list(_WORD.finditer(document.text))
    size = max(1, len(_WORD.findall(needle)))
    if not wanted or not words:
        return QuoteCheck(found=False)
    hits = [1 if w.group().lower() in wanted else 0 for w in words]
    score = sum(hits[:size])
    scored = [(score, 0)]
    for first in range(1, max(1, len(words) - size + 1)):
        score += hits[first + size - 1] - hits[first - 1]
        scored.append((score, first))
    best = sorted(scored, key=lambda s: (-s[0], s[1]))[:8]
    if best[0][0] == 0:
        return QuoteCheck(found=False)
    candidates = []
    for _, first in best:
        last = min(len(words), first + size) - 1
        start, end = words[first].start(), words[last].end()
        ratio = difflib.SequenceMatcher(None, needle, document.text[start:end]).ratio()
        candidates.append((ratio, start, end))
    ratio, start, end = max(candidates, key=lambda c: (c[0], -c[1]))
    first, last = document.span(start, end)
    return QuoteCheck(False, text[first:last].strip(), first, last, round(ratio, 2))


@dataclass(frozen=True)
class Passage:
    """A sentence of a source, exactly as stored, and where it sits."""

    text: str
    location: str
    start: int


_SENTENCE_END = re.compile('(?<=[.!?;])["\u201d\u2019)\\]¹²³⁴⁵⁶⁷⁸⁹⁰]*\\s+')


@lru_cache(maxsize=8)
def passages(text: str) -> tuple[Passage, ...]:
    """Every sentence of ``text`` with its location: the paragraph it is in (blank lines
    separate paragraphs), after the nearest Markdown heading when the text has them."""
    found = []
    heading = ""
    paragraph = 0
    for block in re.finditer(r"[^\n](?:.|\n(?!\s*\n))*", text):
        body = block.group()
        stripped = body.strip()
        if stripped.startswith("#"):
            heading = stripped.lstrip("#").strip().strip("*").strip()
            continue
        if not stripped or set(stripped) <= set("-*_= "):
            continue
        paragraph += 1
        where = f"{heading}, paragraph {paragraph}" if heading else f"paragraph {paragraph}"
        position = 0
        for piece in [*_SENTENCE_END.split(body), ""]:
            if not piece:
                continue
            offset = body.find(piece, position)
            position = offset + len(piece)
            sentence = " ".join(piece.split())
            if len(sentence) >= 3:
                found.append(Passage(sentence, where, block.start() + offset))
    return tuple(found)


def search_passages(text: str, query: str, *, limit: int = 20) -> list[Passage]:
    """Sentences of ``text`` that hold every word of ``query`` (normalised, any case),
    in the order they appear."""
    words = [w.lower() for w in _WORD.findall(normalise(query))]
    if not words:
        return []
    results = []
    for passage in passages(text):
        haystack = normalise(passage.text).lower()
        if all(w in haystack for w in words):
            results.append(passage)
            if len(results) >= limit:
                break
    return results


def location_of(quote: str, text: str) -> str:
    """Where ``quote`` first sits in ``text`` (exactly, or else normalised), named as
    ``passages`` names it: the paragraph, after the nearest heading. Empty if it is not there.
    """
    at = text.find(quote)
    if at < 0:
        check = find_quote(quote, text)
        if not check.found:
            return ""
        at = check.start
    where = ""
    for passage in passages(text):
        if passage.start > at:
            break
        where = passage.location
    return where
