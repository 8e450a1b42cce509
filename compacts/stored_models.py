"""The stored standings: every city's standing over time, derived from published assessments
and lost-ground findings (compacts.standing defines it), so the dashboard's distribution
reads spans instead of walking every assessment of every city on each cold view.

Derived rows, not data: writing them does not change the data version (the data they are
derived from already did), hence ``DATA_VERSION_EXEMPT``. Triggers (compacts/stored_triggers.py)
name the cities whose spans are stale in ``StaleStanding`` whatever writes the source tables;
``compacts.stored.refresh_stale`` recomputes them before any read.
"""

from django.contrib.postgres.indexes import GistIndex
from django.db import models
from django.db.models import F, Func, Q

from common.choices import LossStatus, StageBasis

EXEMPT_WHY = "derived from public tables whose own writes change the data version"


class StoredStanding(models.Model):
    """One city's standing from ``start`` until ``until`` (exclusive; NULL: still so).

    A span starts at each published assessment's period and at the first month a document
    naming the city as having lost ground is known; ``precision`` is the assessment's
    (blank for a span that starts at a finding). ``stage_order`` is None for a city reported
    as having lost ground before any stage; a city with neither has no span ("not assessed").
    """

    DATA_VERSION_EXEMPT = EXEMPT_WHY

    city = models.ForeignKey(
        "cities.City", on_delete=models.CASCADE, related_name="stored_standings"
    )
    start = models.DateField()
    until = models.DateField(null=True)
    stage_order = models.SmallIntegerField(null=True)
    basis = models.CharField(max_length=10, choices=StageBasis.choices, blank=True)
    firm = models.BooleanField(null=True)
    loss_status = models.CharField(max_length=10, choices=LossStatus.choices)
    precision = models.CharField(max_length=10, blank=True)
    # The current assessment's (None and blank before any stage), and the stage before it
    # and the highest so far: what Figure 6 and the city lists show.
    period_start = models.DateField(null=True)
    period_precision = models.CharField(max_length=10, blank=True)
    confidence = models.CharField(max_length=10, blank=True)
    previous_order = models.SmallIntegerField(null=True)
    peak_order = models.SmallIntegerField(null=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["city", "start"], name="stored_standing_one_per_start"),
            models.CheckConstraint(
                condition=Q(until__isnull=True) | Q(until__gt=F("start")),
                name="stored_standing_until_after_start",
            ),
        ]
        indexes = [
            # The spans a date falls in (every city's standing that day) without a pass
            # over all of them: ``daterange(start, until) @> day``.
            GistIndex(
                Func(F("start"), F("until"), function="daterange"),
                name="stored_standing_span",
            ),
        ]

    def __str__(self) -> str:
        return f"city {self.city_id} from {self.start}: {self.stage_order} ({self.loss_status})"


class StoredYearEnd(models.Model):
    """How many cities, over every city, stood so on 31 December of ``day``'s year: the
    stored spans summed at each year's end, so the unfiltered distribution over time reads a
    few hundred rows instead of every city's spans. ``period_start`` is the current stage's
    period (None without a stage), from which a standing is stale or not.

    Written only by ``compacts.stored`` as it rebuilds spans: the rebuilt cities' old counts
    are taken out and their new ones added. An open span counts at every year's end up to
    ``HORIZON_YEAR``; a read past it falls back to the spans.
    """

    HORIZON_YEAR = 2100
    DATA_VERSION_EXEMPT = EXEMPT_WHY

    day = models.DateField()
    stage_order = models.SmallIntegerField(null=True)
    firm = models.BooleanField(null=True)
    loss_status = models.CharField(max_length=10, choices=LossStatus.choices)
    period_start = models.DateField(null=True)
    count = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "stage_order", "firm", "loss_status", "period_start"],
                nulls_distinct=False,
                name="stored_year_end_one_per_standing",
            ),
            # Zero only inside a rebuild, which deletes the rows it brings to zero.
            models.CheckConstraint(condition=Q(count__gte=0), name="stored_year_end_counts"),
        ]

    def __str__(self) -> str:
        return f"{self.day}: {self.count} at {self.stage_order} ({self.loss_status})"


class StaleStanding(models.Model):
    """A city whose stored standings are out of date, named by a trigger; ``ALL`` (0): every
    city's (a stage's order, a source's date or a whole table changed)."""

    ALL = 0
    DATA_VERSION_EXEMPT = EXEMPT_WHY

    city_id = models.BigIntegerField(primary_key=True)

    def __str__(self) -> str:
        return f"stale: {self.city_id or 'all'}"
