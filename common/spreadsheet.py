"""CSV that is safe to open in a spreadsheet: every CSV the site writes goes through here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or a
carriage return, which it strips first) as a formula: ``=HYPERLINK(...)`` planted in a
rationale would run on the computer of whoever opens the export. OWASP's rule for CSV
injection is to put a single quote before such a cell, so it shows as the text it is.
Only text is touched: numbers (a negative count) stay numbers.
"""

import csv
from collections.abc import Iterable
from typing import Any

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: Any) -> Any:
    """``value`` as a spreadsheet shows it as text: a quote before a formula-like string."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def restore(text: str) -> str:
    """Undo ``neutralise``: an imported cell that our export quoted gets its text back, so
    an exported file imports unchanged. Other cells are returned as they are."""
    if text.startswith("'") and text[1:].startswith(FORMULA_STARTS):
        return text[1:]
    return text


class SafeWriter:
    """``csv.writer`` that neutralises every cell it writes."""

    def __init__(self, file, **fmtparams):
        self._writer = csv.writer(file, **fmtparams)

    def writerow(self, row: Iterable[Any]):
        return self._writer.writerow([neutralise(value) for value in row])

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)
