"""One row of a ratings CSV: its columns, the form that validates it and what it refers to.

``csv_import`` reads the file and runs the rows through here; see its docstring.
"""

import datetime
import re
from dataclasses import dataclass

from django import forms
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError

from accounts import roles
from cities.models import City
from common.choices import Confidence, DatePrecision
from compacts.models import SIGNING_YEAR_MAX, SIGNING_YEAR_MIN, Assessment, Stage
from sources.models import Source

from . import services
from .models import Interview, Rating

REQUIRED_COLUMNS = ["city", "period", "rater", "stage", "confidence", "rationale"]
OPTIONAL_COLUMNS = ["source", "quote", "location", "interview", "version"]
COLUMNS = REQUIRED_COLUMNS + OPTIONAL_COLUMNS
RATING_COLUMNS = ["rater", "stage", "confidence", "rationale"]
EVIDENCE_COLUMNS = ["source", "quote", "location", "interview"]
ROW_FIELD_COUNT = "has {found} fields; the header has {expected}"
ROW_REQUIRED = "{column} is required"
ROW_UNKNOWN_CITY = "no city with slug {value!r}"
ROW_BAD_PERIOD = (
    "period {value!r} is not YYYY, YYYY-Qn or YYYY-MM (or 2016 Q3, December 2016) "
    "between 1990 and 2100"
)
ROW_UNKNOWN_RATER = "no user named {value!r}"
ROW_RATER_NOT_RESEARCHER = "user {value!r} is not a researcher"
ROW_OTHER_RATER = "you may import only your own ratings (only a lead may import for {value!r})"
ROW_UNKNOWN_STAGE = "stage {value!r} is not one of: {choices}"
ROW_BAD_CONFIDENCE = "confidence {value!r} is not one of: low, medium, high"
ROW_UNKNOWN_SOURCE = "no source with key {value!r}"
ROW_SOURCE_NEEDS_QUOTE = "a source needs a quote"
ROW_QUOTE_WITHOUT_SOURCE = "quote or location given without a source"
ROW_BAD_INTERVIEW = "interview {value!r} is not an interview id in this city"
ROW_BAD_VERSION = "version {value!r} is not a whole number"
ROW_DUPLICATE = "repeats the rating on line {line} (same city, period and rater)"
ROW_LOCKED = "the assessment {label} is published, so its ratings are locked"
ROW_STALE = (
    "{rater}'s rating of {label} changed after this file was exported (version {theirs} in "
    "the file, {ours} now): export again and redo your change, so the newer one is not lost"
)
ROW_EXISTS = (
    "{rater} already rated {label} (version {ours}); to change that rating, import a file "
    "exported since, with its version column"
)
ROW_GONE = "the file names version {theirs} of {rater}'s rating of {label}, which no longer exists"


_PERIOD = re.compile(r"^(\d{4})(?:(?:-| )(?:Q([1-4])|(\d{2})))?$")


def parse_period(value: str) -> tuple[datetime.date, str] | None:
    """'2016' -> (2016-01-01, year); '2016-Q3' -> (2016-07-01, quarter); '2016-12' -> month.
    The export's labels read too: '2016 Q3', 'December 2016'."""
    value = value.strip()
    match = _PERIOD.match(value)
    try:
        if not match:
            day = datetime.datetime.strptime(value, "%B %Y").date()
            year, quarter, month = str(day.year), None, str(day.month)
        else:
            year, quarter, month = match.groups()
    except ValueError:
        return None
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


@dataclass(frozen=True)
class Current:
    version: int
    stage_id: int
    confidence: str
    rationale: str


class Lookups:
    """What rows refer to. Small tables load once; users, interviews and existing ratings
    load per chunk of rows, so checking costs a few queries per thousand rows."""

    def __init__(self):
        self.cities = {c.slug: c for c in City.objects.all()}
        self.users: dict[str, object] = {}
        self.stages: dict[str, Stage] = {}
        for stage in Stage.objects.all():
            for alias in (stage.key, stage.name, str(stage.order)):
                self.stages[alias.lower()] = stage
        self.stage_names = ", ".join(Stage.objects.order_by("order").values_list("name", flat=True))
        self.sources = {s.key: s for s in Source.objects.all().only("id", "key", "title", "text")}
        self.interviews: dict[int, Interview] = {}
        self.published = set(Assessment.objects.published().values_list("city_id", "period_start"))

    def load(self, records: list[dict]) -> None:
        usernames = {(r.get("rater") or "").strip() for r in records} - self.users.keys()
        users = get_user_model().objects.filter(username__in=usernames)
        self.users.update((u.get_username(), u) for u in roles.with_roles(users))
        ids = {int(r["interview"]) for r in records if (r.get("interview") or "").isdigit()}
        self.interviews.update(Interview.objects.in_bulk(ids - self.interviews.keys()))

    def current_ratings(self, keys: set[tuple]) -> dict[tuple, Current]:
        """The ratings as they stand now for (city id, period start, rater id) keys."""
        if not keys:
            return {}
        ratings = Rating.objects.filter(
            assessment__city_id__in={k[0] for k in keys},
            assessment__period_start__in={k[1] for k in keys},
            rater_id__in={k[2] for k in keys},
        ).values_list(
            "assessment__city_id",
            "assessment__period_start",
            "rater_id",
            "version",
            "stage_id",
            "confidence",
            "rationale",
        )
        return {tuple(r[:3]): Current(*r[3:]) for r in ratings if tuple(r[:3]) in keys}


class _Cell(forms.CharField):
    """A text cell. Every form copies its fields, deeply, which was half the time of
    checking a large file; cells hold no per-form state, so the forms share them."""

    def __init__(self, column: str | None = None, **kwargs):
        if column:
            kwargs["error_messages"] = {"required": ROW_REQUIRED.format(column=column)}
        super().__init__(required=bool(column), **kwargs)

    def __deepcopy__(self, memo):
        return self


CONFIDENCES = frozenset(Confidence.values)


class RatingRowForm(forms.Form):
    """One row of the file, validated like any form. Lookups come loaded, so a row costs
    no query; cleaned_data holds the city, period, rater, stage, evidence and version."""

    city = _Cell("city")
    period = _Cell("period")
    rater = _Cell("rater")
    stage = _Cell("stage")
    confidence = _Cell("confidence")
    rationale = _Cell("rationale")
    source = _Cell()
    quote = _Cell()
    location = _Cell()
    interview = _Cell()
    version = _Cell()

    def __init__(self, data, *, lookups: Lookups, user, allow_other_raters: bool):
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
        if value.lower() not in CONFIDENCES:
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

    def clean_version(self) -> int | None:
        value = self.cleaned_data["version"]
        if not value:
            return None
        if not value.isdigit() or len(value) > 9 or int(value) < 1:
            raise ValidationError(ROW_BAD_VERSION.format(value=value))
        return int(value)

    def clean(self):
        data = super().clean()
        source, quote = data.get("source"), data.get("quote", "")
        city, interview = data.get("city"), data.get("interview")
        if source is not None and not quote:
            self.add_error("quote", ROW_SOURCE_NEEDS_QUOTE)
        elif source is not None:
            try:  # the one check every way of writing evidence passes through
                services.quote_check(
                    source=source, quote=quote, location=data.get("location") or ""
                )
            except ValidationError as error:
                self.add_error("quote", error)
        if source is None and not self.has_error("source") and (quote or data.get("location")):
            self.add_error("quote", ROW_QUOTE_WITHOUT_SOURCE)
        if interview is not None and city is not None and interview.city_id != city.pk:
            self.add_error("interview", ROW_BAD_INTERVIEW.format(value=interview.pk))
        return data

    def key(self) -> tuple | None:
        data = self.cleaned_data
        if data.get("city") and data.get("period") and data.get("rater"):
            return data["city"].pk, data["period"][0], data["rater"].pk
        return None

    def label(self) -> str:
        return f"{self.cleaned_data['city'].name} {self.data['period'].strip()}"

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

    def unchanged(self, current: Current | None) -> bool:
        """The row repeats the rating as it stands (the export of it, say): nothing to do."""
        data = self.cleaned_data
        return (
            current is not None
            and data["version"] == current.version
            and (data["stage"].pk, data["confidence"], data["rationale"])
            == (current.stage_id, current.confidence, current.rationale)
            and not any(self.data[name] for name in EVIDENCE_COLUMNS)
        )

    def reasons(self) -> list[str]:
        """Every problem of the row, field by field in column order, then the row's own."""
        return [message for messages in self.errors.values() for message in messages]


def version_problem(form: RatingRowForm, current: Current | None) -> str | None:
    theirs = form.cleaned_data["version"]
    rater = form.cleaned_data["rater"].get_username()
    if theirs is None and current is not None:
        return ROW_EXISTS.format(rater=rater, label=form.label(), ours=current.version)
    if theirs is not None and current is None:
        return ROW_GONE.format(rater=rater, label=form.label(), theirs=theirs)
    if theirs is not None and theirs != current.version:
        return ROW_STALE.format(
            rater=rater, label=form.label(), theirs=theirs, ours=current.version
        )
    return None
