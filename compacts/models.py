import datetime

from django.core.exceptions import EmptyResultSet, ValidationError
from django.db import connections, models
from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from simple_history.models import HistoricalRecords

from charts.claims import StageClaim
from common import dates
from common.choices import (
    Confidence,
    CostBenefitLevel,
    DatePrecision,
    InitiativeStatusChoice,
    RatingAgreement,
    StageBasis,
)
from sources.models import (
    Citation,
    citations,
    date_precision_constraints,
    known_by,
)

# A signing year outside this range is a typo: the first charter school opened in 1992
# and the Compacts began in 2010.
SIGNING_YEAR_MIN, SIGNING_YEAR_MAX = 1990, 2100


class Stage(models.Model):
    """One of the six maturity stages of cooperation, ordered from baseline (0) to Embedded (5)."""

    order = models.PositiveSmallIntegerField(unique=True)
    key = models.SlugField(max_length=30, unique=True)
    name = models.CharField(max_length=40, unique=True)
    description = models.TextField()

    citations = citations()

    class Meta:
        ordering = ["order"]
        constraints = [
            models.CheckConstraint(condition=Q(order__lte=5), name="stage_order_0_to_5"),
        ]

    def __str__(self) -> str:
        return self.name


class Program(models.TextChoices):
    GATES_DCCC = "gates_dccc", "Gates District-Charter Collaboration Compact"
    FLORIDA_DOE = "florida_doe", "Florida DOE compact"
    OTHER_LOCAL = "other_local", "Other or local agreement"


class Compact(models.Model):
    """A city's signed district-charter agreement. A city without one has no Compact row."""

    Program = Program

    city = models.OneToOneField("cities.City", on_delete=models.CASCADE, related_name="compact")
    program = models.CharField(max_length=20, choices=Program.choices)
    name = models.CharField(max_length=200, blank=True, help_text='e.g. "Equity Pledge"')
    signing_year = models.PositiveSmallIntegerField(null=True, blank=True)
    signing_grant_usd = models.PositiveIntegerField(null=True, blank=True)
    significant_funding = models.BooleanField(
        null=True, blank=True, help_text="Awarded more significant Gates funding; blank if unknown."
    )
    portfolio_at_signing = models.BooleanField(
        null=True,
        blank=True,
        help_text="Moving toward a portfolio system at signing; blank if unknown.",
    )
    parties = models.TextField(blank=True)
    grant_note = models.TextField(blank=True)

    citations = citations()

    class Meta:
        ordering = ["signing_year", "city__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(program__in=Program.values), name="compact_program_valid"
            ),
            models.CheckConstraint(
                condition=Q(signing_year__isnull=True)
                | Q(signing_year__gte=SIGNING_YEAR_MIN, signing_year__lte=SIGNING_YEAR_MAX),
                name="compact_signing_year_sane",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city.name}: {self.get_program_display()}"


def rating_agreement(count: int | None, low: int | None, high: int | None) -> str:
    """The agreement of ``count`` ratings from stage order ``low`` to ``high``: the spread in
    stage steps, in words (``RatingAgreement``); blank with no rating. The one rule the
    publish snapshot and its database constraint share."""
    if not count:
        return ""
    if count == 1:
        return RatingAgreement.SINGLE
    steps = high - low
    if steps == 0:
        return RatingAgreement.ALL_AGREE
    return RatingAgreement.ONE_STAGE_APART if steps == 1 else RatingAgreement.SPLIT


def _snapshot_constraints() -> list[models.CheckConstraint]:
    """What the publish snapshot may hold: written only on a published assessment, all of
    it or none of it (a seed assessment stated in a document has none: "not rated", never
    0); a range low <= high exactly when there is a rating; agreement as ``rating_agreement``
    says."""
    unrated = Q(rater_count__isnull=True) | Q(rater_count=0)
    snapshot_fields = [
        "rater_count",
        "evidence_district_interviews",
        "evidence_charter_interviews",
        "evidence_sources",
    ]
    no_snapshot = Q(**{f"{name}__isnull": True for name in snapshot_fields})
    full_snapshot = Q(**{f"{name}__isnull": False for name in snapshot_fields})
    low = F("rating_low_order")
    return [
        models.CheckConstraint(
            condition=(no_snapshot & Q(rating_agreement="")) | full_snapshot,
            name="assessment_snapshot_whole_or_absent",
        ),
        models.CheckConstraint(
            condition=Q(status=AssessmentStatus.PUBLISHED) | Q(rater_count__isnull=True),
            name="assessment_snapshot_only_when_published",
        ),
        models.CheckConstraint(
            condition=Q(rater_count__isnull=True) | Q(rater_count__gte=0),
            name="assessment_rating_count_not_negative",
        ),
        models.CheckConstraint(
            condition=(unrated & Q(rating_low_order__isnull=True, rating_high_order__isnull=True))
            | Q(
                rater_count__gte=1,
                rating_low_order__isnull=False,
                rating_high_order__isnull=False,
                rating_high_order__gte=low,
                rating_high_order__lte=5,
            ),
            name="assessment_rating_range_with_ratings",
        ),
        models.CheckConstraint(
            condition=(unrated & Q(rating_agreement=""))
            | Q(rater_count=1, rating_agreement=RatingAgreement.SINGLE, rating_high_order=low)
            | Q(
                rater_count__gte=2,
                rating_agreement=RatingAgreement.ALL_AGREE,
                rating_high_order=low,
            )
            | Q(
                rater_count__gte=2,
                rating_agreement=RatingAgreement.ONE_STAGE_APART,
                rating_high_order=low + 1,
            )
            | Q(
                rater_count__gte=2,
                rating_agreement=RatingAgreement.SPLIT,
                rating_high_order__gte=low + 2,
            ),
            name="assessment_rating_agreement_matches_range",
        ),
    ]


class AssessmentStatus(models.TextChoices):
    DRAFT = "draft", "Draft"
    PUBLISHED = "published", "Published"


class AssessmentQuerySet(models.QuerySet):
    def published(self):
        """The one way public code reads assessments: published rows only (drafts never
        leave the workspace; the lead's consensus note lives in the workspace's tables)."""
        return self.filter(status=AssessmentStatus.PUBLISHED)

    def as_of(self, date):
        return self.filter(period_start__lte=date)

    def with_claims(self):
        """Annotate what a claim (``Assessment.claim``) needs beyond the row's own columns: the
        names of the rating range's stages (``rating_low_name``, ``rating_high_name``),
        ``stage_document``,
        the title of the document the stage's primary citation names ("stated in …",
        "inferred from …"), and ``cited_sources``, how many documents its citations name
        (the source count of a seed assessment, which has no publish snapshot)."""
        cited = Citation.objects.filter(
            content_type__app_label="compacts",
            content_type__model="assessment",
            object_id=OuterRef("pk"),
        )
        document = cited.filter(field__in=["consensus_stage", ""]).order_by(
            "-is_primary", F("field").desc(), "id"
        )
        sources = cited.order_by().values("object_id").annotate(n=Count("source", distinct=True))
        stage = Stage.objects.values("name")
        return self.annotate(
            stage_document=Subquery(document.values("source__title")[:1]),
            cited_sources=Subquery(sources.values("n")),
            rating_low_name=Subquery(stage.filter(order=OuterRef("rating_low_order"))),
            rating_high_name=Subquery(stage.filter(order=OuterRef("rating_high_order"))),
        )


PERIOD_NOT_BEGUN = "This period has not begun yet: rate a period up to this month."


class Assessment(models.Model):
    """A city's cooperation stage for one period: the researchers' ratings and their consensus."""

    Status = AssessmentStatus

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="assessments")
    period_start = models.DateField(help_text="First day of the period assessed.")
    period_precision = models.CharField(
        max_length=10,
        choices=[
            (DatePrecision.YEAR, "Year"),
            (DatePrecision.QUARTER, "Quarter"),
            (DatePrecision.MONTH, "Month"),
        ],
    )
    consensus_stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage_provenance = models.CharField(
        max_length=10,
        choices=StageBasis.choices,
        default=StageBasis.RATED,
        help_text="Whether a source states this stage, it was inferred from one, or the"
        " researchers' reconciled ratings give it.",
    )
    stage_reasoning = models.TextField(blank=True)
    stage_confidence = models.CharField(max_length=10, choices=Confidence.choices, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(null=True, blank=True)
    version = models.PositiveIntegerField(
        default=1, help_text="Bumped on every save; guards lost updates."
    )
    # The publish snapshot: public, written by the workspace's publish service in the same
    # transaction (cleared on unpublish, rewritten on a change of the published stage).
    # The ratings as they stand at publish: how many, lowest and highest stage order and
    # their agreement; never who rated what, never a rationale. Evidence per side as the
    # publishing rule counts it. All NULL on an assessment no researcher published (a seed
    # stage stated in or inferred from a document): "not rated", never 0.
    rater_count = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rating_low_order = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rating_high_order = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    rating_agreement = models.CharField(
        max_length=20, choices=RatingAgreement.choices, blank=True, editable=False
    )
    evidence_district_interviews = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )
    evidence_charter_interviews = models.PositiveSmallIntegerField(
        null=True, blank=True, editable=False
    )
    evidence_sources = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)

    citations = citations()
    history = HistoricalRecords()

    objects = AssessmentQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "period_start"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "period_start"], name="assessment_one_per_city_period"
            ),
            models.CheckConstraint(
                condition=Q(period_precision__in=["year", "quarter", "month"]),
                name="assessment_precision_valid",
            ),
            models.CheckConstraint(
                condition=Q(period_start__day=1), name="assessment_period_starts_on_first"
            ),
            models.CheckConstraint(
                condition=~Q(period_precision="year") | Q(period_start__month=1),
                name="assessment_year_starts_in_january",
            ),
            models.CheckConstraint(
                condition=~Q(period_precision="quarter") | Q(period_start__month__in=[1, 4, 7, 10]),
                name="assessment_quarter_starts_quarter",
            ),
            models.CheckConstraint(
                condition=Q(
                    period_start__year__gte=SIGNING_YEAR_MIN,
                    period_start__year__lte=SIGNING_YEAR_MAX,
                ),
                name="assessment_period_sane",
            ),
            models.CheckConstraint(
                condition=Q(status__in=AssessmentStatus.values), name="assessment_status_valid"
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(consensus_stage__isnull=False, published_at__isnull=False),
                name="assessment_published_has_stage",
            ),
            models.CheckConstraint(
                condition=~Q(stage_provenance=StageBasis.INFERRED) | ~Q(stage_reasoning=""),
                name="assessment_inferred_has_reasoning",
            ),
            models.CheckConstraint(
                condition=Q(stage_provenance__in=StageBasis.values),
                name="assessment_stage_basis_valid",
            ),
            *_snapshot_constraints(),
        ]

    def __str__(self) -> str:
        return f"{self.city.name}, {self.period_label}"

    def clean(self):
        # A period that has not begun cannot be rated: it would sit in every list and the
        # coverage planner as work to do, and publish a stage for a time still to come.
        if self.period_start and self.period_start > dates.current_month_end().replace(day=1):
            raise ValidationError({"period_start": PERIOD_NOT_BEGUN})

    @property
    def period_label(self) -> str:
        return dates.period_label(self.period_start, self.period_precision)

    @property
    def is_published(self) -> bool:
        return self.status == AssessmentStatus.PUBLISHED

    @property
    def claim_words(self) -> str:
        """``claim`` in one line, with this stage as the consensus (the city page)."""
        return self.claim.words(stage=self.consensus_stage.name if self.consensus_stage_id else "")

    @property
    def claim(self) -> StageClaim:
        """How sure this stage is and what it rests on (``charts.claims``), from a row read
        through ``AssessmentQuerySet.with_claims``."""
        return StageClaim.of(
            basis=self.stage_provenance,
            confidence=self.stage_confidence,
            document=getattr(self, "stage_document", None) or "",
            rating_count=self.rater_count,
            rating_low_order=self.rating_low_order,
            rating_high_order=self.rating_high_order,
            rating_agreement=self.rating_agreement,
            evidence_district_interviews=self.evidence_district_interviews,
            evidence_charter_interviews=self.evidence_charter_interviews,
            evidence_sources=self.evidence_sources,
            cited_sources=getattr(self, "cited_sources", None),
            rating_low_name=getattr(self, "rating_low_name", None),
            rating_high_name=getattr(self, "rating_high_name", None),
        )


class InitiativeType(models.Model):
    """A category of collaboration, placed by cost and benefit as in the report's Figure 7.

    Types the documents name but Figure 7 does not place have no cost or benefit.
    """

    key = models.SlugField(max_length=60, unique=True)
    label = models.CharField(max_length=100, unique=True)
    cost = models.CharField(max_length=4, choices=CostBenefitLevel.choices, blank=True)
    benefit = models.CharField(max_length=4, choices=CostBenefitLevel.choices, blank=True)
    description = models.TextField(blank=True)

    citations = citations()

    class Meta:
        ordering = ["label"]
        constraints = [
            models.CheckConstraint(
                condition=Q(cost__in=["", "low", "high"]), name="initiative_type_cost_level"
            ),
            models.CheckConstraint(
                condition=Q(benefit__in=["", "low", "high"]), name="initiative_type_benefit_level"
            ),
            models.CheckConstraint(
                condition=(Q(cost="") & Q(benefit="")) | (~Q(cost="") & ~Q(benefit="")),
                name="initiative_type_placed_on_both_axes",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def in_figure_7(self) -> bool:
        return bool(self.cost)


class InitiativeQuerySet(models.QuerySet):
    def with_current_status(self, as_of: datetime.date | None = None):
        """Annotate ``current_status``: the latest status recorded (up to the year of
        ``as_of`` when given; undated statuses count as the oldest), or "unknown"; and
        ``current_status_year``, the year it was recorded for (None when undated), and
        ``current_status_reported``, the date of the earliest document citing it."""
        statuses = InitiativeStatus.objects.filter(initiative=OuterRef("pk"))
        if as_of is not None:
            statuses = statuses.filter(Q(as_of_year__lte=as_of.year) | Q(as_of_year__isnull=True))
        latest = statuses.with_reported().order_by(F("as_of_year").desc(nulls_last=True), "-id")
        return self.annotate(
            current_status=Coalesce(
                Subquery(latest.values("status")[:1]), Value(InitiativeStatusChoice.UNKNOWN)
            ),
            current_status_year=Subquery(latest.values("as_of_year")[:1]),
            current_status_reported=Subquery(latest.values("reported_on")[:1]),
        )

    def started_by(self, as_of: datetime.date):
        """Initiatives begun by the year of ``as_of``; undated ones count as begun."""
        return self.filter(Q(start_year__lte=as_of.year) | Q(start_year__isnull=True))

    def status_counts(self, as_of: datetime.date, *, per: str) -> dict[int, dict[str, int]]:
        """Initiatives begun by ``as_of``'s year, counted by their status that year (as
        ``with_current_status`` reads it), for each value of the field ``per``
        (``"type_id"`` for Figure 7, ``"city_id"`` to compare cities): {value: {status:
        count}}. One query, set-based: each initiative's latest status comes from one
        ``DISTINCT ON`` pass over the statuses, not a look-up per initiative (10,000
        initiatives took 49 ms that way)."""
        self.model._meta.get_field(per)  # a field of ours (never user input), or an error
        try:
            initiatives, params = (
                self.started_by(as_of).order_by().values("pk", per).query.sql_with_params()
            )
        except EmptyResultSet:  # filtered by an empty list: nothing to count, no query
            return {}
        sql = f"""
            SELECT initiative."{per}", COALESCE(latest.status, %s), COUNT(*)
            FROM ({initiatives}) initiative
            LEFT JOIN (
                SELECT DISTINCT ON (initiative_id) initiative_id, status
                FROM {InitiativeStatus._meta.db_table}
                WHERE as_of_year <= %s OR as_of_year IS NULL
                ORDER BY initiative_id, as_of_year DESC NULLS LAST, id DESC
            ) latest ON latest.initiative_id = initiative.pk
            GROUP BY 1, 2
        """
        counts: dict[int, dict[str, int]] = {}
        with connections[self.db].cursor() as cursor:
            cursor.execute(sql, (InitiativeStatusChoice.UNKNOWN, *params, as_of.year))
            for value, status, n in cursor.fetchall():
                counts.setdefault(value, {})[status] = n
        return counts


class Initiative(models.Model):
    """A concrete collaboration project of a city, or of a charter network or program that is
    no single city's (``city`` blank, ``network`` names it)."""

    key = models.SlugField(max_length=80, unique=True)
    city = models.ForeignKey(
        "cities.City",
        on_delete=models.CASCADE,
        related_name="initiatives",
        null=True,
        blank=True,
    )
    network = models.CharField(
        max_length=200,
        blank=True,
        help_text="The charter network or program it belongs to when it is no single city's"
        ' (e.g. "UP Education Network").',
    )
    type = models.ForeignKey(InitiativeType, on_delete=models.PROTECT, related_name="initiatives")
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    start_year = models.PositiveSmallIntegerField(null=True, blank=True)
    end_year = models.PositiveSmallIntegerField(null=True, blank=True)
    years_as_written = models.CharField(max_length=200, blank=True)

    citations = citations()

    objects = InitiativeQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_year__isnull=True)
                | Q(start_year__gte=SIGNING_YEAR_MIN, start_year__lte=SIGNING_YEAR_MAX),
                name="initiative_start_year_sane",
            ),
            models.CheckConstraint(
                condition=Q(end_year__isnull=True)
                | Q(start_year__isnull=True)
                | Q(end_year__gte=F("start_year")),
                name="initiative_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(city__isnull=False) | ~Q(network=""),
                name="initiative_has_city_or_network",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def status_label(self) -> str:
        """The current status with its date, from ``with_current_status``'s annotations:
        "Active (as of 2017)", or "Active (reported in 2017)" when only its document
        dates it."""
        return dated_status(
            self.current_status,
            getattr(self, "current_status_year", None),
            getattr(self, "current_status_reported", None),
        )


def dated_status(status: str, year: int | None, reported: datetime.date | None = None) -> str:
    """A status as a reader sees it, with the year it holds for, or else the year of the
    document that reports it: a 2017 "active" says so, and does not read as active today."""
    label = InitiativeStatusChoice(status).label if status else ""
    if year:
        return f"{label} (as of {year})"
    if reported:
        return f"{label} (reported in {reported.year})"
    return label


class InitiativeStatusQuerySet(models.QuerySet):
    def with_reported(self):
        """Annotate ``reported_on``: the date of the earliest document citing the status
        (published, or known to exist by), which dates a status the text gives no year."""
        cited = Citation.objects.filter(
            content_type__app_label="compacts",
            content_type__model="initiativestatus",
            object_id=OuterRef("pk"),
        ).annotate(dated=Coalesce("source__published_on", "source__known_no_earlier_than"))
        return self.annotate(reported_on=Subquery(cited.order_by("dated").values("dated")[:1]))


class InitiativeStatus(models.Model):
    """An initiative's status as of a year (or undated); the latest is its current status."""

    Status = InitiativeStatusChoice

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="statuses")
    status = models.CharField(max_length=10, choices=Status.choices)
    as_of_year = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.TextField(blank=True)

    citations = citations()

    objects = InitiativeStatusQuerySet.as_manager()

    class Meta:
        ordering = ["initiative", models.F("as_of_year").asc(nulls_first=True), "id"]
        verbose_name_plural = "initiative statuses"
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "status", "as_of_year"],
                name="initiative_status_unique",
                nulls_distinct=False,
            ),
            models.CheckConstraint(
                condition=Q(status__in=InitiativeStatusChoice.values),
                name="initiative_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.initiative}: {self.status} ({self.as_of_year or 'undated'})"

    @property
    def dated_label(self) -> str:
        """ "Active (as of 2017)"; ``reported_on`` comes from ``with_reported``."""
        return dated_status(self.status, self.as_of_year, getattr(self, "reported_on", None))


class InitiativeFigure(models.Model):
    """A number the documents give about an initiative (e.g. 10 of 20 center programs moved)."""

    initiative = models.ForeignKey(Initiative, on_delete=models.CASCADE, related_name="figures")
    metric = models.CharField(max_length=300)
    value = models.DecimalField(max_digits=14, decimal_places=2)
    as_of_year = models.PositiveSmallIntegerField(null=True, blank=True)

    citations = citations()

    class Meta:
        ordering = ["initiative", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["initiative", "metric"], name="initiative_figure_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.metric}: {self.value.normalize():f}"


class TrajectoryDirection(models.TextChoices):
    LOST_GROUND = "lost_ground", "Lost ground"
    STALLED = "stalled", "Stalled"
    MIXED = "mixed", "Mixed"
    PROGRESSED = "progressed", "Progressed"
    SUSTAINED = "sustained", "Sustained"


class FindingNaming(models.TextChoices):
    """Whether the document names the city with this direction, or the city is a candidate:
    the direction is read from the text by inference (see the finding's citations)."""

    NAMED = "named", "Named in the text"
    CANDIDATE = "candidate", "Candidate, by inference"


class TrajectoryFindingQuerySet(models.QuerySet):
    def known_by(self, as_of: datetime.date):
        """Findings a reader could know by the end of ``as_of``'s month: their document was
        out (``sources.models.known_since``) and the period they describe had ended.
        Undated findings and findings from undated documents are not held back by the date
        they lack."""
        return known_by(self, as_of, date_field="period_start", precision_field="period_precision")


class TrajectoryFinding(models.Model):
    """What a document says about a city's direction without naming a stage.

    Shown beside stages, never turned into one.
    """

    Direction = TrajectoryDirection
    Naming = FindingNaming

    key = models.SlugField(max_length=100, unique=True)
    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="trajectory_findings"
    )
    direction = models.CharField(max_length=20, choices=Direction.choices)
    naming = models.CharField(
        max_length=10,
        choices=FindingNaming.choices,
        default=FindingNaming.CANDIDATE,
        help_text="Named: the text names this city with this direction. Candidate: the"
        " direction is inferred (counts of named cities leave candidates out).",
    )
    summary = models.TextField()
    period_start = models.DateField(null=True, blank=True)
    period_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    period_as_written = models.CharField(max_length=200, blank=True)

    citations = citations()

    objects = TrajectoryFindingQuerySet.as_manager()

    class Meta:
        ordering = ["city__name", "period_start"]
        constraints = [
            models.CheckConstraint(
                condition=Q(direction__in=TrajectoryDirection.values),
                name="trajectory_direction_valid",
            ),
            models.CheckConstraint(
                condition=Q(naming__in=FindingNaming.values), name="trajectory_naming_valid"
            ),
            *date_precision_constraints(
                date_field="period_start", precision_field="period_precision", prefix="trajectory"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city.name}: {self.get_direction_display()}"


class FigureComparison(models.TextChoices):
    COMPARABLE = "comparable", "Comparable: the data records the same quantity"
    PARTIAL = "partial", "Partial: the text gives a count but not which cities"
    CONTEXT = "context", "Context only: the data has no counterpart"


class FigureKind(models.TextChoices):
    DOCUMENT = "document", "Published: printed in a document"
    DERIVED = "derived", "Derived: worked out from published figures, not printed"


class PublishedFigureQuerySet(models.QuerySet):
    def known_by(self, as_of: datetime.date):
        """Figures a reader could know by the end of ``as_of``'s month: their document was out
        and the period they count had ended (see ``TrajectoryFindingQuerySet.known_by``)."""
        return known_by(self, as_of, date_field="as_of", precision_field="as_of_precision")


class PublishedFigure(models.Model):
    """An aggregate a document publishes (e.g. 7 cities at Basic in January 2017).

    ``manage.py reconcile`` checks the recorded data against these; the dashboard shows
    the stage counts beside its own. ``comparison`` says how: ``compares`` names the
    recorded quantity (e.g. ``compacts:signing_year=2010``, ``stage:basic``,
    ``initiative:den-sped-center-programs/total center programs``); a figure given in words
    is compared as the range ``range_low`` to ``range_high`` its fixture infers (cited on the
    field ``range``); ``comparison_note`` says what a partial figure lacks or why a figure
    is context only.
    """

    Comparison = FigureComparison
    Kind = FigureKind

    key = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(
        max_length=10,
        choices=FigureKind.choices,
        default=FigureKind.DOCUMENT,
        help_text="Derived figures are our own arithmetic: never shown or exported as published.",
    )
    value = models.IntegerField(
        null=True, blank=True, help_text="Blank when the text gives no number."
    )
    value_as_written = models.CharField(max_length=200, blank=True, help_text='e.g. "nearly half"')
    unit = models.CharField(max_length=40, blank=True)
    scope = models.CharField(max_length=300)
    stage = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    as_of = models.DateField(null=True, blank=True)
    as_of_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    as_of_as_written = models.CharField(max_length=200, blank=True)
    named_cities = models.ManyToManyField("cities.City", blank=True, related_name="+")
    note = models.TextField(blank=True)
    comparison = models.CharField(
        max_length=12, choices=FigureComparison.choices, default=FigureComparison.CONTEXT
    )
    compares = models.CharField(
        max_length=200, blank=True, help_text="The recorded quantity it is compared with."
    )
    range_low = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    range_high = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    comparison_note = models.TextField(
        blank=True, help_text="Partial: what the text leaves out. Context: why it is context."
    )

    citations = citations()

    objects = PublishedFigureQuerySet.as_manager()

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(comparison__in=FigureComparison.values),
                name="published_figure_comparison_valid",
            ),
            models.CheckConstraint(
                condition=Q(kind__in=FigureKind.values), name="published_figure_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(comparison=FigureComparison.CONTEXT, compares="")
                | (~Q(comparison=FigureComparison.CONTEXT) & ~Q(compares="")),
                name="published_figure_compares_unless_context",
            ),
            models.CheckConstraint(
                condition=Q(comparison=FigureComparison.COMPARABLE) | ~Q(comparison_note=""),
                name="published_figure_partial_or_context_says_why",
            ),
            models.CheckConstraint(
                condition=Q(range_low__isnull=True, range_high__isnull=True)
                | Q(range_low__isnull=False, range_high__gte=F("range_low")),
                name="published_figure_range_ordered",
            ),
            *date_precision_constraints(
                date_field="as_of", precision_field="as_of_precision", prefix="published_figure"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.key}: {self.value if self.value is not None else self.value_as_written}"


class FindingKind(models.TextChoices):
    CONCLUSION = "conclusion", "Conclusions"
    ENABLING_CONDITION = "enabling_condition", "Conditions that enable success"
    MOTIVATOR = "motivator", "Political motivators"
    STRATEGY = "strategy", "Strategies"
    RECOMMENDATION = "recommendation", "Recommendations"


class ResearchFinding(models.Model):
    """What the reports conclude beyond any one city: their conclusions (why cooperation
    succeeds or fails among them), the conditions that enable success,
    the political motivators of collaboration (transactional or values-based), strategies
    and recommendations, each quoted from its document, with the cities it gives as examples.
    """

    Kind = FindingKind

    key = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=30, choices=FindingKind.choices)
    group = models.CharField(
        max_length=100,
        blank=True,
        help_text='A subdivision the document makes, e.g. "Transactional".',
    )
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    position = models.PositiveSmallIntegerField(
        default=0, help_text="Order within its kind, as in the document."
    )
    example_cities = models.ManyToManyField(
        "cities.City", blank=True, related_name="research_findings"
    )

    citations = citations()

    class Meta:
        ordering = ["kind", "position", "key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=FindingKind.values), name="research_finding_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def heading(self) -> str:
        """The title after its group ("Funders: Back locally driven ..."), unless the title
        already begins with the group's name ("Transactional collaboration: ...", not
        "Transactional: Transactional collaboration: ...")."""
        if not self.group or self.title.casefold().startswith(self.group.casefold()):
            return self.title
        return f"{self.group}: {self.title}"


class DiscrepancyKind(models.TextChoices):
    INCONSISTENCY = "inconsistency", "Inconsistency: the documents disagree"
    READING_NOTE = "reading_note", "Reading note: a difference of wording or scope, not of fact"


class Discrepancy(models.Model):
    """Where the documents disagree, and which reading the data follows; or, as a reading
    note, where they only seem to (the resolution says why it is no inconsistency)."""

    Kind = DiscrepancyKind

    key = models.SlugField(max_length=80, unique=True)
    kind = models.CharField(
        max_length=14, choices=DiscrepancyKind.choices, default=DiscrepancyKind.INCONSISTENCY
    )
    summary = models.TextField()
    resolution = models.TextField(blank=True, help_text="What the data follows, and why.")
    cities = models.ManyToManyField("cities.City", blank=True, related_name="discrepancies")

    citations = citations()

    class Meta:
        ordering = ["key"]
        verbose_name_plural = "discrepancies"
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=DiscrepancyKind.values), name="discrepancy_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.key


class RevisionAction(models.TextChoices):
    PUBLISHED = "published", "Published"
    STAGE_CHANGED = "stage_changed", "Published stage changed"
    UNPUBLISHED = "unpublished", "Unpublished"


class RevisionLogQuerySet(models.QuerySet):
    def published(self):
        """The one way public code reads the log: every entry is public. Who recorded it and
        why a lead overrode the evidence coverage live in the workspace (RevisionRecord)."""
        return self.all()


class RevisionLogEntry(models.Model):
    """A dated, public entry in a city's revision log: a publish, unpublish or stage change.

    Every column is public. Who recorded the entry, and why a lead published without the
    usual evidence coverage, are the workspace's (workspace.models.RevisionRecord).
    """

    Action = RevisionAction

    city = models.ForeignKey("cities.City", on_delete=models.CASCADE, related_name="revision_log")
    assessment = models.ForeignKey(
        Assessment, on_delete=models.SET_NULL, null=True, blank=True, related_name="revisions"
    )
    period_label = models.CharField(max_length=20)
    action = models.CharField(max_length=20, choices=Action.choices)
    logged_on = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)
    stage_before = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    stage_after = models.ForeignKey(
        Stage, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    reason = models.TextField()

    objects = RevisionLogQuerySet.as_manager()

    class Meta:
        ordering = ["-logged_on", "-created_at"]
        verbose_name_plural = "revision log entries"
        constraints = [
            models.CheckConstraint(
                condition=Q(action__in=RevisionAction.values), name="revision_action_valid"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="revision_reason_required"),
            models.CheckConstraint(
                condition=~Q(action="published") | Q(stage_after__isnull=False),
                name="revision_publish_names_stage",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.logged_on} {self.city_id}: {self.get_action_display()}"

    @property
    def summary(self) -> str:
        """What happened, in words: the revision log, its feeds and alerts all say it so."""
        before = self.stage_before.name if self.stage_before_id else ""
        after = self.stage_after.name if self.stage_after_id else ""
        if self.action == RevisionAction.PUBLISHED:
            return f"{self.period_label} published at {after}"
        if self.action == RevisionAction.STAGE_CHANGED:
            return f"{self.period_label} stage changed from {before} to {after}"
        return f"{self.period_label} withdrawn" + (f" (was {before})" if before else "")


class PublicDataChangeKind(models.TextChoices):
    SEED = "seed", "Seed run"


class PublicDataChange(models.Model):
    """When public data changed other than through the revision log: today, a seed run that
    created, updated or removed public rows.

    Why a table here: "changed since the newest release" (the Cite box, the releases page)
    means a revision-log entry or such a change after the release. The seed writes this row
    in its own transaction, and releases read it, but releases may not import seed
    (the layers in pyproject.toml), and both may import compacts. A row per change, not a
    single timestamp, so the releases page can say when and what, and nothing is
    overwritten. Drafts never write here: they are not public.
    """

    Kind = PublicDataChangeKind

    kind = models.CharField(max_length=20, choices=Kind.choices)
    at = models.DateTimeField(db_index=True)
    summary = models.CharField(max_length=200, help_text='e.g. "3 created, 1 updated, 0 removed"')

    class Meta:
        ordering = ["-at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=PublicDataChangeKind.values), name="public_change_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()}: {self.summary}"


# The stored standings (derived; see compacts/stored_models.py).
from .stored_models import StaleStanding, StoredStanding, StoredYearEnd  # noqa: E402, F401
