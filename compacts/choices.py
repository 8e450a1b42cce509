"""The public record's vocabularies, apart from the models so that charts and tables can
name them without importing any model."""

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
