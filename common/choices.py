"""The vocabularies the record, the workspace and the charts share: one home each, apart
from the models, so that charts and tables name them without importing any app."""

from django.db import models


class StageBasis(models.TextChoices):
    """What an assessment's consensus stage rests on."""

    STATED = "stated", "Stated in a source"
    INFERRED = "inferred", "Inferred from a source"
    RATED = "rated", "Reconciled from researchers' ratings"


class CostBenefitLevel(models.TextChoices):
    LOW = "low", "Low"
    HIGH = "high", "High"


class InitiativeStatusChoice(models.TextChoices):
    ACTIVE = "active", "Active"
    ACHIEVED = "achieved", "Achieved"
    STALLED = "stalled", "Stalled"
    ABANDONED = "abandoned", "Abandoned"
    UNKNOWN = "unknown", "Unknown"


class Confidence(models.TextChoices):
    LOW = "low", "Low"
    MEDIUM = "medium", "Medium"
    HIGH = "high", "High"


class DatePrecision(models.TextChoices):
    DAY = "day", "Day"
    MONTH = "month", "Month"
    QUARTER = "quarter", "Quarter"
    YEAR = "year", "Year"
    UNKNOWN = "unknown", "Unknown"


class Trend(models.TextChoices):
    """Direction between a city's last two published assessments; blank with fewer than two."""

    RISING = "rising", "Rising"
    STEADY = "steady", "Steady"
    SLID_BACK = "slid_back", "Slid back"


class LossStatus(models.TextChoices):
    """How sure a loss of ground is, as of a date (``compacts.standing`` defines it):
    firm stages below a firm peak, a loss resting on an inferred or low-confidence stage,
    a document's report with no stage to show it, at its peak, or no stage at all."""

    YES = "yes", "Yes"
    POSSIBLE = "possible", "Possible loss"
    REPORTED = "reported", "Reported by a document"
    NO = "no", "No"
    UNKNOWN = "unknown", "Unknown"


class RatingAgreement(models.TextChoices):
    """How far the researchers' ratings of one published assessment lie apart, as the
    publish snapshot records it (``compacts.models.rating_agreement``). A single item has
    no reliability coefficient worth the name, so this is the spread in stage steps, said
    in words; blank when no researcher rated it."""

    SINGLE = "single", "One rating: no agreement to measure"
    ALL_AGREE = "all_agree", "All agree"
    ONE_STAGE_APART = "one_stage_apart", "One stage apart"
    SPLIT = "split", "Two or more stages apart"
