"""Import ratings from CSV: all or nothing.

Columns are documented in docs/ratings-csv.md; a sample file is
workspace/static/workspace/ratings-sample.csv.
Every row is checked before anything is written; if any row is bad, every bad row is
reported with its line number and reason and nothing is written. The writes then run in
one transaction, so a failure half-way also leaves the database as it was.
"""

import csv
import datetime
import io
import re
from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from accounts import roles
from cities.models import City
from compacts.models import SIGNING_YEAR_MAX, SIGNING_YEAR_MIN, Assessment, Stage
from sources.models import Confidence, DatePrecision, Source

from . import services
from .models import Interview

REQUIRED_COLUMNS = ["city", "period", "rater", "stage", "confidence", "rationale"]
OPTIONAL_COLUMNS = ["source", "quote", "location", "interview"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS

FILE_EMPTY = "The file is empty."
FILE_NOT_UTF8 = "The file is not UTF-8 text (undecodable byte at position {position})."
FILE_NOT_CSV = "The file is not valid CSV: {error} (line {line})."
FILE_NO_ROWS = "The file has a header but no rows."
MISSING_COLUMNS = "Missing columns: {missing}. Expected columns: {expected}."
UNKNOWN_COLUMNS = "Unknown columns: {unknown}. Expected columns: {expected}."
DUPLICATE_COLUMNS = "Duplicate columns: {duplicates}."
ROW_FIELD_COUNT = "has {found} fields; the header has {expected}"
ROW_REQUIRED = "{column} is required"
ROW_UNKNOWN_CITY = "no city with slug {value!r}"
ROW_BAD_PERIOD = "period {value!r} is not YYYY, YYYY-Qn or YYYY-MM between 1990 and 2100"
ROW_UNKNOWN_RATER = "no user named {value!r}"
ROW_RATER_NOT_RESEARCHER = "user {value!r} is not a researcher"
ROW_OTHER_RATER = "you may import only your own ratings (only a lead may import for {value!r})"
ROW_UNKNOWN_STAGE = "stage {value!r} is not one of: {choices}"
ROW_BAD_CONFIDENCE = "confidence {value!r} is not one of: low, medium, high"
ROW_UNKNOWN_SOURCE = "no source with key {value!r}"
ROW_SOURCE_NEEDS_QUOTE = "a source needs a quote"
ROW_QUOTE_WITHOUT_SOURCE = "quote or location given without a source"
ROW_BAD_INTERVIEW = "interview {value!r} is not an interview id in this city"
ROW_DUPLICATE = "repeats the rating on line {line} (same city, period and rater)"
ROW_LOCKED = "the assessment {label} is published, so its ratings are locked"


class ImportFailed(Exception):
    """Nothing was imported. ``message`` is a file-level problem; ``errors`` lists bad rows."""

    def __init__(self, message: str, errors: list["RowError"] | None = None):
        self.message = message
        self.errors = errors or []
        super().__init__(message)


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


@dataclass
class _Row:
    line: int
    city: City
    period_start: datetime.date
    precision: str
    rater: object
    stage: Stage
    confidence: str
    rationale: str
    evidence: list[services.EvidenceInput]


Progress = Callable[[str, int, int], None]

_PERIOD = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{2})))?$")


def parse_period(value: str) -> tuple[datetime.date, str] | None:
    """'2016' -> (2016-01-01, year); '2016-Q3' -> (2016-07-01, quarter); '2016-12' -> month."""
    match = _PERIOD.match(value.strip())
    if not match:
        return None
    year, quarter, month = match.groups()
    if not SIGNING_YEAR_MIN <= int(year) <= SIGNING_YEAR_MAX:
        return None
    try:
        if quarter:
            return datetime.date(int(year), 3 * int(quarter) - 2, 1), DatePrecision.QUARTER
        if month:
            return datetime.date(int(year), int(month), 1), DatePrecision.MONTH
        return datetime.date(int(year), 1, 1), DatePrecision.YEAR
    except ValueError:
        return None


def _read(data: bytes) -> tuple[list[str], list[tuple[int, list[str]]]]:
    if not data.strip():
        raise ImportFailed(FILE_EMPTY)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFailed(FILE_NOT_UTF8.format(position=exc.start)) from exc
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    rows = []
    try:
        header = [name.strip().lower() for name in next(reader)]
        line = reader.line_num
        for record in reader:
            start, line = line + 1, reader.line_num
            if any(cell.strip() for cell in record):
                rows.append((start, record))
    except csv.Error as exc:
        raise ImportFailed(FILE_NOT_CSV.format(error=exc, line=reader.line_num)) from exc
    expected = ", ".join(COLUMNS)
    duplicates = sorted({name for name in header if header.count(name) > 1})
    if duplicates:
        raise ImportFailed(DUPLICATE_COLUMNS.format(duplicates=", ".join(duplicates)))
    missing = [name for name in REQUIRED_COLUMNS if name not in header]
    if missing:
        raise ImportFailed(MISSING_COLUMNS.format(missing=", ".join(missing), expected=expected))
    unknown = [name for name in header if name not in COLUMNS]
    if unknown:
        raise ImportFailed(UNKNOWN_COLUMNS.format(unknown=", ".join(unknown), expected=expected))
    if not rows:
        raise ImportFailed(FILE_NO_ROWS)
    return header, rows


class _Lookups:
    """Everything rows refer to, loaded once so validation is a fixed number of queries."""

    def __init__(self, usernames: set[str], interview_ids: set[int]):
        self.cities = {c.slug: c for c in City.objects.all()}
        users = get_user_model().objects.filter(username__in=usernames)
        self.users = {u.get_username(): u for u in roles.with_roles(users)}
        self.stages: dict[str, Stage] = {}
        for stage in Stage.objects.all():
            for alias in (stage.key, stage.name, str(stage.order)):
                self.stages[alias.lower()] = stage
        self.stage_names = ", ".join(Stage.objects.order_by("order").values_list("name", flat=True))
        self.sources = {s.key: s for s in Source.objects.all().only("id", "key", "title")}
        self.interviews = Interview.objects.in_bulk(interview_ids)
        self.published = set(Assessment.objects.published().values_list("city_id", "period_start"))


def _required(column: str) -> dict:
    return {"required": ROW_REQUIRED.format(column=column)}


class RatingRowForm(forms.Form):
    """One row of the file, validated like any form. Lookups come loaded, so a row costs
    no query; cleaned_data holds the city, period, rater, stage and evidence."""

    city = forms.CharField(error_messages=_required("city"))
    period = forms.CharField(error_messages=_required("period"))
    rater = forms.CharField(error_messages=_required("rater"))
    stage = forms.CharField(error_messages=_required("stage"))
    confidence = forms.CharField(error_messages=_required("confidence"))
    rationale = forms.CharField(error_messages=_required("rationale"))
    source = forms.CharField(required=False)
    quote = forms.CharField(required=False)
    location = forms.CharField(required=False)
    interview = forms.CharField(required=False)

    def __init__(self, data, *, lookups: _Lookups, user, allow_other_raters: bool):
        super().__init__(data)
        self.lookups, self.user, self.allow_other_raters = lookups, user, allow_other_raters

    def clean_city(self) -> City:
        value = self.cleaned_data["city"]
        if value not in self.lookups.cities:
            raise ValidationError(ROW_UNKNOWN_CITY.format(value=value))
        return self.lookups.cities[value]

    def clean_period(self) -> tuple[datetime.date, str]:
        value = self.cleaned_data["period"]
        period = parse_period(value)
        if period is None:
            raise ValidationError(ROW_BAD_PERIOD.format(value=value))
        return period

    def clean_rater(self):
        value = self.cleaned_data["rater"]
        rater = self.lookups.users.get(value)
        if rater is None:
            raise ValidationError(ROW_UNKNOWN_RATER.format(value=value))
        if not roles.is_researcher(rater):
            raise ValidationError(ROW_RATER_NOT_RESEARCHER.format(value=value))
        if rater.pk != self.user.pk and not self.allow_other_raters:
            raise ValidationError(ROW_OTHER_RATER.format(value=value))
        return rater

    def clean_stage(self) -> Stage:
        value = self.cleaned_data["stage"]
        stage = self.lookups.stages.get(value.lower())
        if stage is None:
            raise ValidationError(
                ROW_UNKNOWN_STAGE.format(value=value, choices=self.lookups.stage_names)
            )
        return stage

    def clean_confidence(self) -> str:
        value = self.cleaned_data["confidence"]
        if value.lower() not in Confidence.values:
            raise ValidationError(ROW_BAD_CONFIDENCE.format(value=value))
        return value.lower()

    def clean_source(self) -> Source | None:
        value = self.cleaned_data["source"]
        if value and value not in self.lookups.sources:
            raise ValidationError(ROW_UNKNOWN_SOURCE.format(value=value))
        return self.lookups.sources.get(value) if value else None

    def clean_interview(self) -> Interview | None:
        value = self.cleaned_data["interview"]
        if not value:
            return None
        interview = self.lookups.interviews.get(int(value)) if value.isdigit() else None
        if interview is None:
            raise ValidationError(ROW_BAD_INTERVIEW.format(value=value))
        return interview

    def clean(self):
        data = super().clean()
        source, quote = data.get("source"), data.get("quote", "")
        city, interview = data.get("city"), data.get("interview")
        if source is not None and not quote:
            self.add_error("quote", ROW_SOURCE_NEEDS_QUOTE)
        if source is None and not self.has_error("source") and (quote or data.get("location")):
            self.add_error("quote", ROW_QUOTE_WITHOUT_SOURCE)
        if interview is not None and city is not None and interview.city_id != city.pk:
            self.add_error("interview", ROW_BAD_INTERVIEW.format(value=interview.pk))
        period = data.get("period")
        if (
            city is not None
            and period is not None
            and (city.pk, period[0]) in self.lookups.published
        ):
            label = f"{city.name} {self.data['period'].strip()}"
            raise ValidationError(ROW_LOCKED.format(label=label))
        return data

    def evidence(self) -> list[services.EvidenceInput]:
        data = self.cleaned_data
        items = []
        if data["source"] is not None:
            items.append(
                services.EvidenceInput(
                    source=data["source"], quote=data["quote"], location=data["location"]
                )
            )
        if data["interview"] is not None:
            items.append(services.EvidenceInput(interview=data["interview"]))
        return items

    def reasons(self) -> list[str]:
        """Every problem of the row, field by field in column order, then the row's own."""
        return [message for messages in self.errors.values() for message in messages]


def _validate(header, rows, *, user, allow_other_raters: bool, progress: Progress | None):
    records = [dict(zip(header, cells, strict=False)) for _, cells in rows]
    lookups = _Lookups(
        usernames={r.get("rater", "").strip() for r in records},
        interview_ids={
            int(r["interview"]) for r in records if r.get("interview", "").strip().isdigit()
        },
    )
    valid: list[_Row] = []
    errors: list[RowError] = []
    seen: dict[tuple, int] = {}
    for index, ((line, cells), record) in enumerate(zip(rows, records, strict=True), start=1):
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
        reasons += form.reasons()
        data = form.cleaned_data
        if data.get("city") and data.get("period") and data.get("rater"):
            key = (data["city"].pk, data["period"][0], data["rater"].pk)
            if key in seen:
                reasons.append(ROW_DUPLICATE.format(line=seen[key]))
            else:
                seen[key] = line
        if reasons:
            errors.append(RowError(line=line, reasons=reasons))
        else:
            valid.append(
                _Row(
                    line=line,
                    city=data["city"],
                    period_start=data["period"][0],
                    precision=data["period"][1],
                    rater=data["rater"],
                    stage=data["stage"],
                    confidence=data["confidence"],
                    rationale=data["rationale"],
                    evidence=form.evidence(),
                )
            )
        if progress:
            progress("Checking", index, len(rows))
    return valid, errors


def import_ratings(
    *,
    data: bytes,
    user,
    allow_other_raters: bool = False,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row of ``data`` (CSV bytes) or nothing, as ``user`` (who is recorded in
    the history). Raises ``ImportFailed``. Researchers import their own ratings; a lead (or
    ``allow_other_raters``, for the management command) may import anyone's."""
    if not roles.is_researcher(user):
        raise PermissionDenied
    allow_other_raters = allow_other_raters or roles.is_lead(user)
    header, rows = _read(data)
    valid, errors = _validate(
        header, rows, user=user, allow_other_raters=allow_other_raters, progress=progress
    )
    if errors:
        raise ImportFailed(
            f"Nothing was imported: {len(errors)} of {len(rows)} rows have problems.", errors
        )
    created = updated = 0
    assessments: dict[tuple, tuple[Assessment, bool]] = {}
    with transaction.atomic():
        for index, row in enumerate(valid, start=1):
            try:
                key = (row.city.pk, row.period_start)
                if key not in assessments:
                    assessments[key] = services.assessment_for_rating(
                        user=user,
                        city=row.city,
                        period_start=row.period_start,
                        period_precision=row.precision,
                    )
                assessment, _ = assessments[key]
                exists = assessment.ratings.filter(rater=row.rater).exists()
                services.save_rating(
                    user=user,
                    rater=row.rater,
                    assessment=assessment,
                    stage=row.stage,
                    rationale=row.rationale,
                    confidence=row.confidence,
                    evidence=row.evidence or None,
                    expected_version=None,
                )
            except ValidationError as exc:
                errors.append(RowError(line=row.line, reasons=exc.messages))
                continue
            updated += exists
            created += not exists
            if progress:
                progress("Importing", index, len(valid))
        if errors:
            transaction.set_rollback(True)
    if errors:
        raise ImportFailed("Nothing was imported.", errors)
    made = sum(created for _, created in assessments.values())
    return ImportResult(created=created, updated=updated, assessments_created=made)
