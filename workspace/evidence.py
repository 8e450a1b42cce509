"""What counts as evidence: the one rule the rating form, the CSV import and the services
use (through ``services.quote_check``), and that the coverage rule and the
``insubstantial_evidence`` command apply to evidence already stored.

A quote from a source could support a stage when it is a passage — at least
``settings.EVIDENCE_MIN_WORDS`` words, not only function words ("of the", "lost ground" is
too short) — or a table or figure cell whose location names its table, row and column
(``TABLE_CELL_EXAMPLE``). The seed's own citations are the record and are checked by
``seed``, not here.
"""

import re

from django.conf import settings

TABLE_CELL_EXAMPLE = "Table 1, row Denver, column 2012"
# "Table 1, row Denver, column 2012"; also Figure, Exhibit or Chart, any case. A row or
# column label may hold commas ("row Washington, D.C."): the last ", column" ends the row.
TABLE_CELL = re.compile(
    r"^\s*(?:table|figure|fig\.|exhibit|chart)\s+[\w.\-]+\s*,\s*row\s+\S.*,\s*column\s+\S.*$",
    re.IGNORECASE,
)
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")

# Words that carry no claim of their own: articles, pronouns, prepositions, conjunctions,
# auxiliaries. A quote made only of these says nothing about a city.
_FUNCTION_WORDS = """
    a about above after again against all am an and any are as at be because been before
    being below between both but by can could did do does doing down during each few for
    from further had has have having he her here hers herself him himself his how i if in
    into is it its itself just may me might more most must my myself no nor not of off on
    once only or other our ours ourselves out over own same shall she should so some such
    than that the their theirs them themselves then there these they this those through to
    too under until up very was we were what when where which while who whom why will with
    would you your yours yourself yourselves also yet thus
"""
FUNCTION_WORDS = frozenset(_FUNCTION_WORDS.split())

QUOTE_TOO_SHORT = (
    "A quote counts as evidence only when it could support a stage: a passage of at least "
    "{minimum} words (this one has {words}), or a table or figure cell whose location names "
    "its table, row and column, such as “{example}”. Quote the whole sentence."
)
QUOTE_ONLY_FUNCTION_WORDS = (
    "This quote is only function words (“of”, “the”, “and”…), so it cannot support a stage. "
    "Quote a passage that says something about the city."
)
LOCATION_HELP = (
    "For a source: page or section. For a table or figure cell, name its table, row and "
    f"column: “{TABLE_CELL_EXAMPLE}” (a cell may then be a single value)."
)
QUOTE_HELP = (
    "For a source: the source's exact words, a passage of at least {minimum} words, or a "
    "table or figure cell."
)


def words(quote: str) -> list[str]:
    return _WORD.findall(quote)


def is_table_cell(location: str) -> bool:
    """Whether ``location`` names a table or figure, a row and a column."""
    return bool(TABLE_CELL.match(location or ""))


def substance_problem(*, quote: str, location: str = "") -> str:
    """Why ``quote`` (at ``location``) cannot count as evidence; empty when it can."""
    found = words(quote)
    if is_table_cell(location) and found:
        return ""
    if not any(w.lower() not in FUNCTION_WORDS for w in found):
        return (
            QUOTE_ONLY_FUNCTION_WORDS
            if found
            else QUOTE_TOO_SHORT.format(
                minimum=settings.EVIDENCE_MIN_WORDS, words=0, example=TABLE_CELL_EXAMPLE
            )
        )
    if len(found) < settings.EVIDENCE_MIN_WORDS:
        return QUOTE_TOO_SHORT.format(
            minimum=settings.EVIDENCE_MIN_WORDS, words=len(found), example=TABLE_CELL_EXAMPLE
        )
    return ""


def is_substantive(*, quote: str, location: str = "") -> bool:
    return not substance_problem(quote=quote, location=location)
