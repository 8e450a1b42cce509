"""Import ratings from CSV: all or nothing, streamed, checked against the ratings' versions.

Columns are documented in docs/ratings-csv.md; a sample file is
workspace/static/workspace/ratings-sample.csv. The researchers' export
(``csv_export``) imports back as it is: the columns the import does not read are ignored.

The file is read three times, one row at a time, so memory stays flat however long it is:
a scan (encoding, CSV shape, header), a check of every row (each validated by
``RatingRowForm``; the first ``MAX_REPORTED_ERRORS`` problems are kept, the rest counted),
and, only if no row is bad, the writes in one transaction through ``services``.

Lost updates: a row that changes an existing rating must carry the ``version`` it was
exported with; a rating changed since (on the web, or by another import) is refused, never
overwritten. Rows equal to the rating as it stands are skipped.

Formulas: cell text is stored as written. It is only text to the site, and every CSV the
site writes puts a quote before a cell a spreadsheet would run (``common.spreadsheet``);
that quote is removed on the way in, so an exported file imports unchanged.
"""

import csv
import gc
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import BinaryIO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from common.spreadsheet import restore

from . import services
from .csv_export import RESEARCHER_COLUMNS
from .csv_rows import (
    COLUMNS,
    RATING_COLUMNS,
    REQUIRED_COLUMNS,
    ROW_DUPLICATE,
    ROW_FIELD_COUNT,
    ROW_LOCKED,
    Lookups,
    RatingRowForm,
    parse_period,
    version_problem,
)

__all__ = ["COLUMNS", "REQUIRED_COLUMNS", "ImportFailed", "import_ratings", "parse_period"]

# Columns of the researchers' export that describe a row but are not imported.
IGNORED_COLUMNS = [name for name in RESEARCHER_COLUMNS if name not in COLUMNS]
MAX_REPORTED_ERRORS = 100
CHUNK_ROWS = 1000

FILE_EMPTY = "The file is empty."
FILE_NOT_UTF8 = "The file is not UTF-8 text (an undecodable byte on line {line})."
FILE_NUL = (
    "The file has a NUL byte on line {line}: it is not a text CSV file. Save it from the "
    "spreadsheet as “CSV UTF-8 (comma delimited)”."
)
FILE_NOT_CSV = "The file is not valid CSV: {error} (line {line})."
FILE_NO_ROWS = "The file has a header but no rows."
MISSING_COLUMNS = "Missing columns: {missing}. Expected columns: {expected}."
SEMICOLON_HINT = (
    " The header is separated by semicolons (;): save the file as comma-separated CSV "
    "(in a spreadsheet: “CSV UTF-8 (comma delimited)”)."
)
UNKNOWN_COLUMNS = "Unknown columns: {unknown}. Expected columns: {expected}."
DUPLICATE_COLUMNS = "Duplicate columns: {duplicates}."
ROWS_FAILED = "Nothing was imported: {bad:,} of {total:,} rows have problems."
ROWS_FAILED_FIRST = " The first {shown} are listed."


class ImportFailed(Exception):
    """Nothing was imported. ``message`` is a file-level problem; ``errors`` lists the first
    bad rows (at most ``MAX_REPORTED_ERRORS``) and ``error_count`` counts all of them."""

    def __init__(self, message: str, errors: list["RowError"] | None = None, error_count=None):
        self.message = message
        self.errors = errors or []
        self.error_count = len(self.errors) if error_count is None else error_count
        super().__init__(message)

    @property
    def unlisted(self) -> int:
        return self.error_count - len(self.errors)


@dataclass(frozen=True)
class RowError:
    line: int
    reasons: list[str]

    def __str__(self) -> str:
        return f"Line {self.line}: {'; '.join(self.reasons)}."


@dataclass(frozen=True)
class ImportResult:
    created: int
    updated: int
    assessments_created: int
    unchanged: int = 0


Progress = Callable[[str, int, int], None]

# Reading the file ---------------------------------------------------------------------


def _records(file: BinaryIO) -> Iterator[tuple[int, list[str]]]:
    """(line, cells) of every record, header first, read one line at a time from the
    start of ``file``. Raises ``ImportFailed`` for what makes the file unreadable."""
    file.seek(0)
    text = io.TextIOWrapper(file, encoding="utf-8-sig", newline="")
    reader = csv.reader(_no_nul(text), strict=True)
    line = 0
    try:
        for cells in reader:
            start, line = line + 1, reader.line_num
            yield start, cells
    except csv.Error as exc:
        raise ImportFailed(FILE_NOT_CSV.format(error=exc, line=reader.line_num)) from exc
    except UnicodeDecodeError as exc:
        raise ImportFailed(FILE_NOT_UTF8.format(line=_undecodable_line(file))) from exc
    finally:
        text.detach()  # the caller's file stays open


def _no_nul(lines: Iterator[str]) -> Iterator[str]:
    # PostgreSQL cannot store a NUL character, and a text file has none: a spreadsheet
    # saved in its own format, or UTF-16, does.
    for number, line in enumerate(lines, start=1):
        if "\x00" in line:
            raise ImportFailed(FILE_NUL.format(line=number))
        yield line


def _undecodable_line(file: BinaryIO) -> int:
    file.seek(0)
    for number, line in enumerate(file, start=1):
        try:
            line.decode("utf-8")
        except UnicodeDecodeError:
            return number
    return 0


def _has_rating(record: dict) -> bool:
    # The export lists an assessment nobody (visible to you) rated as a row without one.
    return any((record.get(name) or "").strip() for name in RATING_COLUMNS)


def _header(file: BinaryIO) -> tuple[list[str], int]:
    """Check the encoding, the CSV shape and the header; the header and the number of rows
    with a rating."""
    header = None
    rows = 0
    for _, cells in _records(file):
        if header is None:
            header = [name.strip().lower() for name in cells]
        elif _has_rating(dict(zip(header, cells, strict=False))):
            rows += 1
    if header is None or not any(header):
        raise ImportFailed(FILE_EMPTY)
    expected = ", ".join(COLUMNS)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise ImportFailed(DUPLICATE_COLUMNS.format(duplicates=", ".join(duplicates)))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        message = MISSING_COLUMNS.format(missing=", ".join(missing), expected=expected)
        if len(header) == 1 and ";" in header[0]:
            message += SEMICOLON_HINT
        raise ImportFailed(message)
    unknown = [name for name in header if name not in COLUMNS + IGNORED_COLUMNS]
    if unknown:
        raise ImportFailed(UNKNOWN_COLUMNS.format(unknown=", ".join(unknown), expected=expected))
    if not rows:
        raise ImportFailed(FILE_NO_ROWS)
    return header, rows


def _chunks(file: BinaryIO, header: list[str]) -> Iterator[list[tuple[int, list[str], dict]]]:
    """The rows after the header in chunks of ``CHUNK_ROWS``: (line, cells, record), with
    the quote our export puts before formula-like cells removed."""
    rows = (
        (line, cells, {name: restore(cell) for name, cell in zip(header, cells, strict=False)})
        for line, cells in islice(_records(file), 1, None)
        if _has_rating(dict(zip(header, cells, strict=False)))
    )
    while chunk := list(islice(rows, CHUNK_ROWS)):
        yield chunk


# Checking rows ------------------------------------------------------------------------


@dataclass
class _Checked:
    line: int
    form: RatingRowForm
    reasons: list[str]
    unchanged: bool = False


def _check(file, header, *, user, allow_other_raters: bool) -> Iterator[_Checked]:
    """Every row with its problems (none: it can be written), in file order."""
    lookups = Lookups()
    seen: dict[tuple, int] = {}
    for number, chunk in enumerate(_chunks(file, header)):
        # A form is a web of cycles (bound fields and errors point back at it), freed only
        # by a full collection, which a busy process seldom runs: without this, memory
        # grows with the file. One collection per chunk after the first (whose forms are
        # garbage by then) costs a few percent; a file of one chunk needs none.
        if number:
            gc.collect()
        lookups.load([record for _, _, record in chunk])
        checked = []
        for line, cells, record in chunk:
            reasons = []
            if len(cells) != len(header):
                reasons.append(ROW_FIELD_COUNT.format(found=len(cells), expected=len(header)))
            form = RatingRowForm(
                {column: record.get(column) or "" for column in COLUMNS},
                lookups=lookups,
                user=user,
                allow_other_raters=allow_other_raters,
            )
            form.is_valid()
            checked.append(_Checked(line, form, reasons + form.reasons()))
        current = lookups.current_ratings({c.form.key() for c in checked if c.form.is_valid()})
        for row in checked:
            key = row.form.key()
            if key is not None:
                if key in seen:
                    row.reasons.append(ROW_DUPLICATE.format(line=seen[key]))
                else:
                    seen[key] = row.line
            if not row.reasons:
                row.unchanged = row.form.unchanged(current.get(key))
            if not row.reasons and not row.unchanged:
                problem = version_problem(row.form, current.get(key))
                if problem is None and (key[0], key[1]) in lookups.published:
                    problem = ROW_LOCKED.format(label=row.form.label())
                if problem:
                    row.reasons.append(problem)
            yield row


def _fail(errors: list[RowError], count: int, total: int) -> ImportFailed:
    message = ROWS_FAILED.format(bad=count, total=total)
    if count > len(errors):
        message += ROWS_FAILED_FIRST.format(shown=len(errors))
    return ImportFailed(message, errors, error_count=count)


# Importing ----------------------------------------------------------------------------


def import_ratings(
    *,
    data: bytes | None = None,
    file: BinaryIO | None = None,
    user,
    allow_other_raters: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row of a CSV file (``file``, a seekable binary file, or ``data``) or
    nothing, as ``user`` (who is recorded in the history). Raises ``ImportFailed``.
    Researchers import their own ratings; a lead (or ``allow_other_raters``, for the
    management command) may import anyone's."""
    if not roles.is_researcher(user):
        raise PermissionDenied
    allow_other_raters = allow_other_raters or roles.is_lead(user)
    file = io.BytesIO(data) if file is None else file
    header, total = _header(file)
    errors: list[RowError] = []
    bad = 0
    for index, row in enumerate(
        _check(file, header, user=user, allow_other_raters=allow_other_raters), start=1
    ):
        if row.reasons:
            bad += 1
            if len(errors) < MAX_REPORTED_ERRORS:
                errors.append(RowError(line=row.line, reasons=row.reasons))
        if progress:
            progress("Checking", index, total)
    if bad:
        raise _fail(errors, bad, total)
    return _write(
        file, header, total, user=user, allow_other_raters=allow_other_raters, progress=progress
    )


def _write(file, header, total: int, *, user, allow_other_raters, progress) -> ImportResult:
    """The writes, in one transaction; any problem now (the data changed since the check)
    rolls all of them back."""
    created = updated = unchanged = made = 0
    errors: list[RowError] = []
    bad = 0
    with transaction.atomic():
        last_key = assessment = None
        rows = _check(file, header, user=user, allow_other_raters=allow_other_raters)
        for index, row in enumerate(rows, start=1):
            if progress:
                progress("Importing", index, total)
            if row.unchanged:
                unchanged += 1
                continue
            reasons = row.reasons
            if not reasons and not bad:  # after a failure, only count what else fails
                try:
                    data = row.form.cleaned_data
                    key = (data["city"].pk, data["period"][0])
                    if key != last_key:
                        assessment, new = services.assessment_for_rating(
                            user=user,
                            city=data["city"],
                            period_start=data["period"][0],
                            period_precision=data["period"][1],
                        )
                        last_key, made = key, made + new
                    services.save_rating(
                        user=user,
                        rater=data["rater"],
                        assessment=assessment,
                        stage=data["stage"],
                        rationale=data["rationale"],
                        confidence=data["confidence"],
                        evidence=row.form.evidence() or None,
                        expected_version=data["version"],
                        expect_new=data["version"] is None,
                    )
                except ValidationError as exc:
                    reasons = exc.messages
            if reasons:
                bad += 1
                if len(errors) < MAX_REPORTED_ERRORS:
                    errors.append(RowError(line=row.line, reasons=reasons))
                transaction.set_rollback(True)
                continue
            updated += row.form.cleaned_data["version"] is not None
            created += row.form.cleaned_data["version"] is None
    if bad:
        raise _fail(errors, bad, total)
    return ImportResult(
        created=created, updated=updated, assessments_created=made, unchanged=unchanged
    )
