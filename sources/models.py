"""Where each fact comes from.

Every fact seeded from the documents carries one or more citations: the source document,
a short exact quote, where in the document it sits, and whether the text states the fact
or it was inferred (with the reasoning). A citation can name the field it supports
("signing_year") or, with an empty field, the record as a whole.
"""

import datetime

from django.contrib.contenttypes.fields import GenericForeignKey, GenericRelation
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Min, OuterRef, Q, Subquery
from django.db.models.functions import Cast, Coalesce, Extract
from django.db.models.lookups import Exact, In

from common.choices import DatePrecision
from common.dates import month_end


class Provenance(models.TextChoices):
    STATED = "stated", "Stated in the text"
    INFERRED = "inferred", "Inferred from the text"


def date_precision_constraints(*, date_field: str, precision_field: str, prefix: str):
    """Check constraints that keep a (date, precision) pair honest.

    A month is stored as its first day, a quarter as the first day of its first month and
    a year as 1 January, so two records of the same period compare equal. An unknown date
    is NULL, never a made-up day.
    """
    d, p = date_field, precision_field

    def part(name: str):
        # The cast types a NULL date: Django checks these conditions against an unsaved row
        # (full_clean) by putting its values into a query, and PostgreSQL cannot EXTRACT
        # from an untyped NULL ("Got a database error calling check()").
        return Extract(Cast(d, models.DateField()), name)

    return [
        models.CheckConstraint(
            condition=Q(**{f"{p}__in": DatePrecision.values}), name=f"{prefix}_precision_valid"
        ),
        models.CheckConstraint(
            condition=Q(**{f"{d}__isnull": True}, **{p: DatePrecision.UNKNOWN})
            | (Q(**{f"{d}__isnull": False}) & ~Q(**{p: DatePrecision.UNKNOWN})),
            name=f"{prefix}_unknown_iff_null",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{d}__isnull": True})
            | Q(**{p: DatePrecision.DAY})
            | Exact(part("day"), 1),
            name=f"{prefix}_period_starts_on_first",
        ),
        models.CheckConstraint(
            condition=~Q(**{p: DatePrecision.YEAR}) | Exact(part("month"), 1),
            name=f"{prefix}_year_starts_in_january",
        ),
        models.CheckConstraint(
            condition=~Q(**{p: DatePrecision.QUARTER}) | In(part("month"), [1, 4, 7, 10]),
            name=f"{prefix}_quarter_starts_quarter",
        ),
        models.CheckConstraint(
            condition=Q(**{f"{d}__isnull": True}) | Q(**{f"{d}__year__gte": 1900}),
            name=f"{prefix}_date_sane",
        ),
    ]


class TextStatus(models.TextChoices):
    READING = "reading", "Reading the text…"
    FAILED = "failed", "Could not read"


READING_THE_TEXT = "reading the text…"
COULD_NOT_READ = "could not read: {reason}"


class Citation(models.Model):
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    field = models.CharField(
        max_length=60, blank=True, help_text="The attribute this supports; blank for the record."
    )
    source = models.ForeignKey("sources.Source", on_delete=models.PROTECT, related_name="+")
    quote = models.TextField(help_text="A short exact excerpt of the source.")
    location = models.CharField(max_length=300, blank=True)
    provenance = models.CharField(max_length=10, choices=Provenance.choices)
    reasoning = models.TextField(blank=True, help_text="Required when the fact is inferred.")
    is_primary = models.BooleanField(
        default=True, help_text="False for further evidence beside the main quote."
    )

    class Meta:
        ordering = ["content_type", "object_id", "field", "-is_primary", "id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "field", "source", "quote"],
                name="citation_unique_per_fact",
            ),
            models.CheckConstraint(
                condition=Q(provenance__in=Provenance.values), name="citation_provenance_valid"
            ),
            models.CheckConstraint(
                condition=~Q(provenance=Provenance.INFERRED) | ~Q(reasoning=""),
                name="citation_inferred_has_reasoning",
            ),
            models.CheckConstraint(condition=~Q(quote=""), name="citation_quote_not_empty"),
        ]

    def __str__(self) -> str:
        return f"{self.source_id}: “{self.quote[:60]}” ({self.provenance})"

    @property
    def is_inferred(self) -> bool:
        return self.provenance == Provenance.INFERRED


def citations():
    """The reverse relation every fact-carrying model declares."""
    return GenericRelation(Citation)


class Source(models.Model):
    """A publication that facts and ratings rest on."""

    class Kind(models.TextChoices):
        REPORT = "report", "Report"
        BRIEF = "brief", "Brief"
        COMMENTARY = "commentary", "Commentary"
        WEB_PAGE = "web_page", "Web page"
        MEETING_PACKET = "meeting_packet", "Meeting packet"
        ARTICLE = "article", "Article"
        OTHER = "other", "Other"

    key = models.SlugField(max_length=80, unique=True)
    title = models.CharField(max_length=400)
    authors = models.CharField(max_length=400, blank=True)
    publisher = models.CharField(max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    published_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    date_as_written = models.CharField(max_length=200, blank=True)
    known_no_earlier_than = models.DateField(
        null=True,
        blank=True,
        help_text="For a document that prints no date: the first day of the earliest month it"
        " can date from (cited on this field), so claims can be dated by what was known when.",
    )
    document_file = models.CharField(
        max_length=100, blank=True, help_text="The seed text in fixtures/documents, if we hold it."
    )
    url = models.URLField(blank=True)
    text = models.TextField(
        blank=True,
        help_text="The source's full text, which evidence quotes are checked against; blank"
        " when we hold none (its quotes are then unverified until a lead checks them).",
    )
    text_origin = models.CharField(
        max_length=200,
        blank=True,
        help_text='Where the text came from: "fixtures/documents/…", an uploaded file, pasted.',
    )

    text_status = models.CharField(
        max_length=10,
        choices=TextStatus.choices,
        blank=True,
        help_text="Whether an uploaded file's text is being read or could not be read; blank"
        " otherwise (the text is held, or there is none).",
    )
    text_error = models.CharField(
        max_length=300, blank=True, help_text="Why the uploaded file could not be read."
    )

    citations = citations()

    class Meta:
        ordering = ["published_on", "title"]
        constraints = [
            *date_precision_constraints(
                date_field="published_on", precision_field="date_precision", prefix="source"
            ),
            models.CheckConstraint(
                condition=Q(known_no_earlier_than__isnull=True) | Q(known_no_earlier_than__day=1),
                name="source_known_no_earlier_than_is_a_month",
            ),
            models.CheckConstraint(
                condition=Q(document_file="")
                | Q(published_on__isnull=False)
                | Q(known_no_earlier_than__isnull=False),
                name="source_document_is_dated",
            ),
            models.CheckConstraint(
                condition=Q(text_status__in=["", *TextStatus.values]),
                name="source_text_status_valid",
            ),
            # A source whose file is being read, or could not be read, holds no text yet.
            models.CheckConstraint(
                condition=Q(text_status="") | Q(text=""), name="source_text_only_when_read"
            ),
            # "Could not read" always says why, and only then is there a reason.
            models.CheckConstraint(
                condition=Q(text_status=TextStatus.FAILED, text_error__gt="")
                | (~Q(text_status=TextStatus.FAILED) & Q(text_error="")),
                name="source_text_error_iff_failed",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def dated_from(self):
        """The earliest date the document can be from: its publication date, else the month
        it is known no earlier than; None when neither is known."""
        return self.published_on or self.known_no_earlier_than

    @property
    def has_text(self) -> bool:
        return bool(self.text.strip())

    @property
    def reading_note(self) -> str:
        """ "reading the text…" or "could not read: <reason>" while an uploaded file's text
        is not held; blank otherwise. Its quotes are unverified until the text is read."""
        if self.text_status == TextStatus.READING:
            return READING_THE_TEXT
        if self.text_status == TextStatus.FAILED:
            return COULD_NOT_READ.format(reason=self.text_error)
        return ""


class SourceFile(models.Model):
    """The file a researcher uploaded for a source, kept in the database until (and after)
    a worker reads its text off the request path (``sources.tasks``). Apart from Source so
    that listing sources never loads the bytes."""

    source = models.OneToOneField(
        Source, on_delete=models.CASCADE, primary_key=True, related_name="upload"
    )
    name = models.CharField(max_length=200)
    data = models.BinaryField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.name


def cited_models() -> list[type[models.Model]]:
    """Models whose rows are facts drawn from the documents and must carry citations."""
    from django.apps import apps

    return [
        model
        for model in apps.get_models()
        if any(
            isinstance(f, GenericRelation) and f.related_model is Citation
            for f in model._meta.private_fields
        )
    ]


def citations_of_outer_row(model: type[models.Model]) -> models.QuerySet:
    """The citations of the ``model`` row a subquery is correlated with (``OuterRef("pk")``):
    order them and take a column to annotate a row with, say, its first citation's quote."""
    return Citation.objects.filter(
        content_type=ContentType.objects.get_for_model(model), object_id=OuterRef("pk")
    )


def known_since(model: type[models.Model]):
    """The earliest date any document of a ``model`` row's primary citations can be from (its
    publication date, else the month it is known no earlier than), as a subquery to annotate
    or alias on ``model``'s rows; NULL when none of those documents is dated. A claim drawn
    from documents is known only from then (see ``known_by_q``)."""
    earliest = (
        citations_of_outer_row(model)
        .filter(is_primary=True)
        .annotate(dated=Coalesce("source__published_on", "source__known_no_earlier_than"))
        .values("object_id")
        .annotate(earliest=Min("dated"))
        .values("earliest")
    )
    return Subquery(earliest, output_field=models.DateField())


def known_by(queryset, as_of, *, date_field: str, precision_field: str):
    """The rows of ``queryset`` (of a cited model) a reader could know by the end of
    ``as_of``'s month: their documents were out (``known_since``) and the period they
    describe (``date_field`` at ``precision_field``) had ended. Rows from undated documents,
    and undated rows, are not held back by the date they lack. The one rule for findings,
    published figures and events."""
    return (
        queryset.alias(known_since=known_since(queryset.model))
        .filter(known_by_q(as_of))
        .filter(period_over_q(as_of, date_field=date_field, precision_field=precision_field))
    )


def known_by_q(as_of, *, alias: str = "known_since") -> Q:
    """Rows (aliased with ``known_since``) whose documents were out by the end of
    ``as_of``'s month; rows whose documents carry no date are not held back by them."""
    return Q(**{f"{alias}__isnull": True}) | Q(**{f"{alias}__lte": month_end(as_of)})


# Months after its first month that a period has ended by (as ``period_over_q`` reads it).
_PERIOD_OVER_MONTHS = {DatePrecision.YEAR: 11, DatePrecision.QUARTER: 2}


def known_from(
    *, known_since: datetime.date | None, period_start: datetime.date | None, precision: str
) -> datetime.date:
    """``known_by``'s rule for one plain row: the first day of the first month the row
    counts in, once its documents were out (``known_since``, None when undated) and the
    period it describes had ended (``period_over_q``); ``date.min`` when neither dates it."""
    months = [datetime.date.min]
    if known_since is not None:
        months.append(known_since.replace(day=1))
    if period_start is not None:
        first = period_start.replace(day=1)
        after = _PERIOD_OVER_MONTHS.get(precision)
        if after is not None:
            # "The period has ended": its start on or before the month ``after`` back.
            after += period_start.day > 1
            index = first.year * 12 + first.month - 1 + after
            first = datetime.date(index // 12, index % 12 + 1, 1)
        months.append(first)
    return max(months)


def known_by_plain(
    as_of: datetime.date,
    *,
    known_since: datetime.date | None,
    period_start: datetime.date | None,
    precision: str,
) -> bool:
    """``known_by``'s rule for one plain row (a release's frozen files): true from the month
    ``known_from`` gives. A test holds the two to the same answers."""
    first = known_from(known_since=known_since, period_start=period_start, precision=precision)
    return first <= as_of.replace(day=1)


def period_over_q(as_of, *, date_field: str, precision_field: str) -> Q:
    """Rows whose period (``date_field`` with its precision) has ended by the end of
    ``as_of``'s month: a year shows from its December, a quarter from its last month, a month
    or a day from its month. Undated rows always count."""
    month = as_of.replace(day=1)

    def back(months: int):
        index = month.year * 12 + month.month - 1 - months
        if index < 12:  # before January of year 1: no dated period has ended yet
            return datetime.date.min
        return datetime.date(index // 12, index % 12 + 1, 1)

    return (
        Q(**{f"{date_field}__isnull": True})
        | Q(**{precision_field: DatePrecision.YEAR, f"{date_field}__lte": back(11)})
        | Q(**{precision_field: DatePrecision.QUARTER, f"{date_field}__lte": back(2)})
        | (
            ~Q(**{f"{precision_field}__in": [DatePrecision.YEAR, DatePrecision.QUARTER]})
            & Q(**{f"{date_field}__lte": month_end(as_of)})
        )
    )
