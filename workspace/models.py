"""CONFIDENTIAL research records: interviews, researchers' ratings and their evidence.

Nothing here may reach funders or the public. Public code never imports this app; the
public record (compacts) holds only what a lead publishes.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from common.choices import Confidence
from compacts.models import Assessment, RevisionLogEntry, Stage
from sources.models import Source

from .evidence import is_substantive

RATIONALE_MAX_CHARS = 20_000
RATIONALE_TOO_LONG = (
    "A rationale is at most {limit:,} characters; this one has {got:,}. Quote the passages"
    " that matter as evidence instead of pasting whole documents."
)
INTERVIEW_IN_FUTURE = "An interview cannot be dated after today: check the date."


class Rating(models.Model):
    """One researcher's stage for an assessment, with rationale and evidence.

    Blind rating keeps the researcher's FIRST submission on the row itself (``first_stage``,
    ``first_confidence``, ``first_rationale``, written once when the rating is created and
    never again): it is the one version certainly made before they saw anyone else's rating
    (``selectors.visible_ratings_for`` shows others' ratings from then on), so agreement is
    measured on it. We keep it on the row rather than in a table of submissions because
    there is exactly one first submission per rating, agreement reads it with no join, and
    every later version is already in the row's history (django-simple-history).

    An edit is *changed after seeing others* when it changes the stage, confidence,
    rationale or evidence of an existing rating while another researcher's rating of the
    same assessment exists at the time of the edit (the rater, having submitted, may see
    it). Such an edit is recorded in the history with the reason ``CHANGED_AFTER_SEEING``
    and sets ``changed_after_seeing_others_at`` (the first time; it is never cleared), which
    the lead sees on the assessment and reconcile pages.
    """

    CHANGED_AFTER_SEEING = "Changed after seeing others' ratings"

    # related_name="+" on every relation into a public model (and User): the public side
    # has no accessor into the workspace, so no public template or query can reach it.
    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="+")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    rationale = models.TextField()
    confidence = models.CharField(max_length=10, choices=Confidence.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    first_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    first_confidence = models.CharField(max_length=10, choices=Confidence.choices)
    first_rationale = models.TextField()
    changed_after_seeing_others_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        ordering = ["assessment", "rater__username"]
        constraints = [
            models.UniqueConstraint(fields=["assessment", "rater"], name="rating_one_per_rater"),
            models.CheckConstraint(condition=~Q(rationale=""), name="rating_rationale_required"),
            models.CheckConstraint(
                condition=Q(confidence__in=Confidence.values), name="rating_confidence_valid"
            ),
            models.CheckConstraint(
                condition=~Q(first_rationale=""), name="rating_first_rationale_required"
            ),
            models.CheckConstraint(
                condition=Q(first_confidence__in=Confidence.values),
                name="rating_first_confidence_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.assessment}: {self.stage} by {self.rater}"

    def save(self, *args, **kwargs):
        # A new rating is its own first submission (services set it before full_clean;
        # this covers rows made elsewhere, such as test factories and the admin).
        if self._state.adding:
            if self.first_stage_id is None:
                self.first_stage_id = self.stage_id
            self.first_confidence = self.first_confidence or self.confidence
            self.first_rationale = self.first_rationale or self.rationale
        super().save(*args, **kwargs)

    def clean(self):
        # A rationale is a paragraph or a page, not a pasted document: every page that
        # shows the rating (and its history) carries it whole.
        if len(self.rationale) > RATIONALE_MAX_CHARS:
            raise ValidationError(
                {
                    "rationale": RATIONALE_TOO_LONG.format(
                        limit=RATIONALE_MAX_CHARS, got=len(self.rationale)
                    )
                }
            )

    @property
    def changed_after_seeing_others(self) -> bool:
        return self.changed_after_seeing_others_at is not None


class Sector(models.TextChoices):
    DISTRICT = "district", "District"
    CHARTER = "charter", "Charter"
    COMMUNITY = "community", "Community"
    STATE = "state", "State"
    FUNDER = "funder", "Funder"
    OTHER = "other", "Other"


class Interview(models.Model):
    """A confidential research interview. Never shown to funders or the public."""

    Sector = Sector

    city = models.ForeignKey("cities.City", on_delete=models.PROTECT, related_name="+")
    conducted_on = models.DateField()
    interviewee_role = models.CharField(max_length=200)
    sector = models.CharField(max_length=20, choices=Sector.choices)
    interviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()

    class Meta:
        ordering = ["-conducted_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sector__in=Sector.values), name="interview_sector_valid"
            ),
            models.CheckConstraint(
                condition=~Q(interviewee_role=""), name="interview_role_required"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city.name}, {self.conducted_on}: {self.interviewee_role}"

    def clean(self):
        if self.conducted_on and self.conducted_on > datetime.date.today():
            raise ValidationError({"conducted_on": INTERVIEW_IN_FUTURE})


class QuoteCheck(models.TextChoices):
    """Whether a source quote is known to be in its source."""

    FOUND = "found", "Found in the source's text"
    UNVERIFIED = "unverified", "Unverified: the source's text is not held"
    VERIFIED = "verified", "Verified by a lead researcher"


class Evidence(models.Model):
    """What a rating rests on: an interview, or a source with a short quote and its location.

    A source quote is checked against the source's text when it is saved (``found``); a
    source without text leaves it ``unverified`` until a lead checks it (``verified``, with
    who and when). Only found or verified quotes count toward the publishing rule.
    """

    QuoteCheck = QuoteCheck

    rating = models.ForeignKey(Rating, on_delete=models.CASCADE, related_name="evidence")
    interview = models.ForeignKey(
        Interview, on_delete=models.PROTECT, null=True, blank=True, related_name="evidence"
    )
    source = models.ForeignKey(
        Source, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    quote = models.TextField(blank=True)
    location = models.CharField(max_length=300, blank=True)
    quote_check = models.CharField(max_length=12, choices=QuoteCheck.choices, blank=True)
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    verified_at = models.DateTimeField(null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(source__isnull=True, quote_check="")
                | Q(source__isnull=False, quote_check__in=QuoteCheck.values),
                name="evidence_source_quote_checked",
            ),
            models.CheckConstraint(
                condition=Q(
                    quote_check=QuoteCheck.VERIFIED,
                    verified_by__isnull=False,
                    verified_at__isnull=False,
                )
                | (
                    ~Q(quote_check=QuoteCheck.VERIFIED)
                    & Q(verified_by__isnull=True, verified_at__isnull=True)
                ),
                name="evidence_verified_says_who_and_when",
            ),
            models.CheckConstraint(
                condition=Q(interview__isnull=False, source__isnull=True)
                | Q(interview__isnull=True, source__isnull=False),
                name="evidence_interview_xor_source",
            ),
            models.CheckConstraint(
                condition=Q(source__isnull=True) | ~Q(quote=""), name="evidence_source_has_quote"
            ),
        ]

    def __str__(self) -> str:
        return f"Evidence for {self.rating}"

    def save(self, *args, **kwargs):
        # A source quote nobody checked is unverified: it never counts by default.
        if self.source_id is not None and not self.quote_check:
            self.quote_check = QuoteCheck.UNVERIFIED
        super().save(*args, **kwargs)

    @property
    def substantive(self) -> bool:
        """Whether this could support a stage: an interview, or a source quote long enough
        or a named table cell (``workspace.evidence``, the rule as it stands now)."""
        return self.source_id is None or is_substantive(quote=self.quote, location=self.location)

    @property
    def counts(self) -> bool:
        """Whether this evidence counts toward the publishing rule."""
        if self.source_id is None:
            return True
        return self.quote_check != QuoteCheck.UNVERIFIED and self.substantive


class ConsensusNote(models.Model):
    """The lead's note on how an assessment's consensus was reached. Confidential, so it
    lives here, beside the ratings it summarises, not in the public assessment's row."""

    assessment = models.OneToOneField(
        Assessment, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    text = models.TextField(blank=True)

    history = HistoricalRecords()

    def __str__(self) -> str:
        return f"Consensus note on assessment {self.assessment_id}"


class RevisionRecord(models.Model):
    """The workspace's side of a public revision-log entry: which lead recorded it and, when
    they published without the usual evidence coverage, why."""

    entry = models.OneToOneField(
        RevisionLogEntry, on_delete=models.CASCADE, primary_key=True, related_name="+"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    coverage_override_reason = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"Record of revision {self.entry_id}"


class Vignette(models.Model):
    """Calibration training material: a described situation a lead wrote, with the stage
    the rubric intends for it and why. Tied to no city and never shown as a fact: it
    appears only on the workspace's calibration pages, never in public pages, exports or
    releases (the anchoring vignettes V-Dem calibrates its coders with)."""

    title = models.CharField(max_length=200)
    situation = models.TextField()
    intended_stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    reasoning = models.TextField(help_text="Why the rubric gives this stage.")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(condition=~Q(title=""), name="vignette_title_required"),
            models.CheckConstraint(condition=~Q(situation=""), name="vignette_situation_required"),
            models.CheckConstraint(condition=~Q(reasoning=""), name="vignette_reasoning_required"),
        ]

    def __str__(self) -> str:
        return f"Training vignette: {self.title}"


class VignetteRating(models.Model):
    """A researcher's blind stage for a vignette. Only the first is kept: once rated, the
    researcher sees the intended stage, so a second rating would not be blind."""

    vignette = models.ForeignKey(Vignette, on_delete=models.CASCADE, related_name="ratings")
    rater = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    stage = models.ForeignKey(Stage, on_delete=models.PROTECT, related_name="+")
    rated_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["vignette", "rater__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["vignette", "rater"], name="vignette_rating_one_per_rater"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.vignette.title}: {self.stage} by {self.rater}"


class Assignment(models.Model):
    """A lead's request that a researcher rate one city for one period (a city-period of
    the coverage planner). It may exist before the period's assessment does."""

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="+")
    period_start = models.DateField()
    period_precision = models.CharField(max_length=10)
    researcher = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["city__name", "-period_start", "researcher__username"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "period_start", "researcher"], name="assignment_once_per_period"
            ),
            models.CheckConstraint(
                condition=Q(period_precision__in=["year", "quarter", "month"]),
                name="assignment_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1), name="assignment_period_starts_on_first"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.researcher} on {self.city} from {self.period_start}"
