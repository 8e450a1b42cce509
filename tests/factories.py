"""factory_boy factories for test data. fixtures/ holds only the seed data from the documents."""

import datetime

import factory
from django.contrib.auth import get_user_model
from django.utils import timezone

from cities.models import City, Event
from compacts.models import (
    Assessment,
    Compact,
    Initiative,
    InitiativeStatus,
    InitiativeType,
    Stage,
    TrajectoryFinding,
)
from sources.models import Citation, Source
from workspace.models import Interview, Rating

STAGE_NAMES = ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]


def make_stages() -> dict[str, Stage]:
    """The six stages, in order, keyed by name (get_or_create: safe to call twice)."""
    return {
        name: Stage.objects.get_or_create(
            order=order, defaults={"key": name.lower(), "name": name, "description": name}
        )[0]
        for order, name in enumerate(STAGE_NAMES)
    }


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ["username"]

    username = factory.Sequence(lambda n: f"user{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.django.Password("a-long-test-password")


class CityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = City

    name = factory.Sequence(lambda n: f"City {n:04d}")
    slug = factory.LazyAttribute(lambda c: c.name.lower().replace(" ", "-"))
    state = "CO"
    entity_name = factory.LazyAttribute(lambda c: f"{c.name} Public Schools")
    kind = City.Kind.COMPACT_CITY


class CompactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Compact

    city = factory.SubFactory(CityFactory)
    program = Compact.Program.GATES_DCCC
    signing_year = 2011
    signing_grant_usd = 100_000
    significant_funding = False
    portfolio_at_signing = True


class SourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Source

    key = factory.Sequence(lambda n: f"source-{n}")
    title = factory.Sequence(lambda n: f"A report on collaboration, part {n}")
    kind = Source.Kind.REPORT
    published_on = datetime.date(2017, 1, 1)
    date_precision = "month"


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A published assessment; pass ``stage`` (a Stage) and ``period_start``."""

    class Meta:
        model = Assessment

    city = factory.SubFactory(CityFactory)
    period_start = datetime.date(2017, 1, 1)
    period_precision = "month"
    consensus_stage = None
    status = Assessment.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class RatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rating

    assessment = factory.SubFactory(
        AssessmentFactory, status=Assessment.Status.DRAFT, published_at=None
    )
    rater = factory.SubFactory(UserFactory)
    rationale = "Most charter schools work with the district on special education."
    confidence = "medium"


class InterviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interview

    city = factory.SubFactory(CityFactory)
    conducted_on = datetime.date(2016, 11, 15)
    interviewee_role = "Chief of schools"
    sector = Interview.Sector.DISTRICT
    interviewer = factory.SubFactory(UserFactory)
    notes = "Notes from the conversation."


class InitiativeTypeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeType
        django_get_or_create = ["key"]

    key = "common-enrollment"
    label = "Common enrollment"
    cost = "high"
    benefit = "high"


class InitiativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Initiative

    key = factory.Sequence(lambda n: f"initiative-{n}")
    city = factory.SubFactory(CityFactory)
    type = factory.SubFactory(InitiativeTypeFactory)
    title = factory.Sequence(lambda n: f"Shared enrollment system {n}")
    start_year = 2013


class InitiativeStatusFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = InitiativeStatus

    initiative = factory.SubFactory(InitiativeFactory)
    status = InitiativeStatus.Status.ACTIVE
    as_of_year = 2016


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    key = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.LEADERSHIP_TRANSITION
    title = factory.Sequence(lambda n: f"Superintendent {n} steps down")
    occurred_on = datetime.date(2013, 1, 1)
    date_precision = "year"
    date_as_written = "2013"


class TrajectoryFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = TrajectoryFinding

    key = factory.Sequence(lambda n: f"finding-{n}")
    city = factory.SubFactory(CityFactory)
    direction = TrajectoryFinding.Direction.LOST_GROUND
    summary = "Cooperation slowed after the superintendent left."
    period_start = datetime.date(2013, 1, 1)
    period_precision = "year"
    period_as_written = "about 2013"


def cite(
    obj, *, source: Source, quote: str = "a quote", provenance: str = "stated", **extra
) -> Citation:
    """Attach a citation to any fact-carrying object."""
    return Citation.objects.create(
        target=obj, source=source, quote=quote, provenance=provenance, **extra
    )


# Researcher workspace ------------------------------------------------------------------


def user_with_role(role: str, username: str | None = None):
    """A user in one role group: "researcher", "lead" or "funder" (see accounts.roles)."""
    from accounts import roles

    user = UserFactory(username=username) if username else UserFactory()
    user.groups.add(roles.ensure_groups()[roles.ROLES[role]])
    return user


class EvidenceFactory(factory.django.DjangoModelFactory):
    """Interview evidence by default; pass ``interview=None, source=..., quote=...``."""

    class Meta:
        model = "workspace.Evidence"

    rating = factory.SubFactory(RatingFactory)
    interview = factory.SubFactory(
        InterviewFactory, city=factory.SelfAttribute("..rating.assessment.city")
    )
    source = None
    quote = ""
    location = ""
    # A source quote is checked when saved; a factory row has not been: unverified.
    quote_check = factory.LazyAttribute(lambda o: "unverified" if o.source else "")


class RevisionLogEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "compacts.RevisionLogEntry"

    city = factory.SubFactory(CityFactory)
    period_label = "2017"
    action = "published"
    logged_on = datetime.date(2017, 2, 1)
    stage_after = factory.LazyFunction(lambda: make_stages()["Basic"])
    reason = "Both sides interviewed."


class PublishedFigureFactory(factory.django.DjangoModelFactory):
    """A published aggregate; by default a January 2017 count of compact cities."""

    class Meta:
        model = "compacts.PublishedFigure"

    key = factory.Sequence(lambda n: f"figure-{n}")
    value = 7
    unit = "cities"
    scope = "Compact cities"
    as_of = datetime.date(2017, 1, 1)
    as_of_precision = "month"
    as_of_as_written = "January 2017"
    comparison_note = "A test figure: context only."


class VignetteFactory(factory.django.DjangoModelFactory):
    """A calibration vignette; pass ``intended_stage`` (a Stage)."""

    class Meta:
        model = "workspace.Vignette"

    title = factory.Sequence(lambda n: f"Vignette {n}")
    situation = "The district and the charter network share a special-education centre."
    reasoning = "Joint operation of a programme is Intermediate in the rubric."
    author = factory.SubFactory(UserFactory)


class VignetteRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "workspace.VignetteRating"

    vignette = factory.SubFactory(VignetteFactory)
    rater = factory.SubFactory(UserFactory)
