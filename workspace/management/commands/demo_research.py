"""Realistic research records for looking at the workspace's method pages on a development
machine: draft assessments of seeded cities over four years, interviews from every sector,
blind ratings (some changed after seeing others), assignments, calibration vignettes and
their ratings. Made through the services, so every rule holds. Refused when DEBUG=false.
"""

import datetime
import random

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from accounts import roles
from accounts.services import give_role
from cities.models import City
from compacts.models import Assessment, Stage
from workspace import calibration, coverage, services
from workspace.models import Interview, Sector, Vignette

RESEARCHERS = ("ana", "ben", "chen", "dee")
LEAD = "lena"
YEARS = (2014, 2015, 2016, 2017)
# (title, situation, intended stage order, reasoning)
VIGNETTES = [
    (
        "Two sectors that do not meet",
        "The district superintendent has not met the charter network leaders this year. "
        "Board members call charter growth 'an invasion'; the charter association has "
        "filed suit over building access.",
        0,
        "Open conflict and no working relationship: the baseline of the rubric.",
    ),
    (
        "A signed compact and a first meeting",
        "The district and twelve charter operators signed a compact in the spring and met "
        "twice. Both sides describe the meetings as polite; nothing has been agreed.",
        1,
        "A signed agreement and first contact without joint work is Emerging.",
    ),
    (
        "Shared practice, nothing shared in money",
        "Principals from both sectors visit each other's schools and a joint committee "
        "publishes a list of practices, but no programme, budget or staff is shared.",
        2,
        "Sharing practices without shared programmes or money is Basic.",
    ),
    (
        "A joint special-education centre",
        "District and charter schools jointly run two centres for students with severe "
        "needs, with a cost-sharing formula both boards approved.",
        3,
        "A jointly operated, jointly funded programme is Intermediate.",
    ),
    (
        "Common enrollment for every public school",
        "Families apply to district and charter schools through one application with one "
        "deadline; both sectors accept the same expulsion and transfer rules.",
        4,
        "Common enrollment with shared rules across both sectors is Advanced.",
    ),
    (
        "One accountability framework for all",
        "Every public school, district or charter, is rated on one framework that both "
        "sectors wrote; school closures and replacements follow it in both sectors.",
        5,
        "Shared accountability that drives decisions in both sectors is Embedded.",
    ),
    (
        "A pledge that stalled",
        "An equity pledge was signed with a grant; after the superintendent left, the "
        "working groups stopped meeting, though both sides still cite the pledge.",
        1,
        "A commitment without continued joint work reads as Emerging, not Basic.",
    ),
]
SECTOR_MIX = [
    [Sector.DISTRICT, Sector.CHARTER, Sector.STATE],
    [Sector.DISTRICT, Sector.COMMUNITY],
    [Sector.CHARTER, Sector.FUNDER],
    [Sector.DISTRICT, Sector.CHARTER, Sector.CHARTER, Sector.OTHER],
    [Sector.DISTRICT],
    [],
]


class Command(BaseCommand):
    help = (
        "Build realistic research records (assessments, interviews, blind ratings, "
        "assignments, calibration vignettes) for the seeded cities. DEBUG=true only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rater",
            action="append",
            default=[],
            help="An existing researcher who also rates vignettes and gets assignments "
            "(repeatable), e.g. the account you sign in with.",
        )
        parser.add_argument("--cities", type=int, default=14)

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "demo_research only runs with DEBUG=true: it writes made-up research "
                "records beside real ones."
            )
        if Vignette.objects.filter(title=VIGNETTES[0][0]).exists():
            raise CommandError("The demo research records are already here.")
        cities = list(City.objects.order_by("name")[: options["cities"]])
        if not cities:
            raise CommandError("No cities: run `manage.py seed` first.")
        stages = list(Stage.objects.order_by("order"))
        rng = random.Random(24)
        with transaction.atomic():
            lead, team = self._people(options["rater"])
            self._vignettes(lead, team, stages, rng)
            self._assessments(lead, team, cities, stages, rng)
        self.stdout.write(
            f"Built research records for {len(cities)} cities, {len(YEARS)} years, "
            f"{len(VIGNETTES)} vignettes; researchers {', '.join(u.username for u in team)}, "
            f"lead {lead.username} (no password: sign in with your own account)."
        )

    def _people(self, extra: list[str]):
        lead = give_role(_user(LEAD), "lead")
        team = [give_role(_user(name), "researcher") for name in RESEARCHERS]
        User = get_user_model()
        for name in extra:
            user = User.objects.filter(username=name).first()
            if user is None or not roles.is_researcher(user):
                raise CommandError(f"{name} is not a researcher here.")
            team.append(user)
        return lead, team

    def _vignettes(self, lead, team, stages, rng):
        # Each researcher has a lean: ana lenient, dee severe, the others on the mark.
        lean = {"ana": 1, "dee": -1}
        for title, situation, intended, reasoning in VIGNETTES:
            vignette = calibration.vignette_create(
                user=lead, title=title, situation=situation,
                intended_stage=stages[intended], reasoning=reasoning,
            )  # fmt: skip
            for position, rater in enumerate(team):
                if position == len(team) - 1 and rng.random() < 0.3:
                    continue  # the last rater has not rated every vignette yet
                shift = lean.get(rater.username, 0) + rng.choice([0, 0, 0, 1, -1])
                stage = stages[max(0, min(len(stages) - 1, intended + shift))]
                calibration.vignette_rate(user=rater, vignette=vignette, stage=stage)

    def _assessments(self, lead, team, cities, stages, rng):
        for index, city in enumerate(cities):
            base = rng.randint(1, 3)
            for year in YEARS:
                start = datetime.date(year, 1, 1)
                period = coverage.Period(start, "year")
                raters = rng.sample(team, k=rng.choice([1, 2, 2, 3]))
                for rater in raters:
                    coverage.assignment_create(
                        user=lead, city=city, period=period, researcher=rater
                    )
                if index % 5 == 4 and year == YEARS[-1]:
                    continue  # assigned, not started
                if Assessment.objects.filter(city=city, period_start=start).exists():
                    continue  # the seed's own
                assessment = services.assessment_create(
                    user=raters[0], city=city, period_start=start, period_precision="year"
                )
                sectors = SECTOR_MIX[(index + year) % len(SECTOR_MIX)]
                interviews = [
                    Interview.objects.create(
                        city=city,
                        conducted_on=datetime.date(year, 3 + n, 10),
                        interviewee_role=f"{sector.label} leader",
                        sector=sector,
                        interviewer=raters[0],
                        notes="Demo interview notes.",
                    )
                    for n, sector in enumerate(sectors)
                ]
                rated = raters if rng.random() < 0.7 else raters[:1]
                for rater in rated:
                    order = max(
                        0, min(5, base + (year - YEARS[0]) // 2 + rng.choice([0, 0, 1, -1]))
                    )
                    services.rating_submit(
                        user=rater, assessment=assessment, stage=stages[order],
                        rationale=f"Demo rationale: what {rater.username} heard in {year}.",
                        confidence=rng.choice(["low", "medium", "high"]),
                        evidence=[services.EvidenceInput(interview=i) for i in interviews],
                        expected_version=None,
                    )  # fmt: skip


def _user(username: str):
    """An existing user, or a new one that cannot sign in (no password)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, email=f"{username}@example.org")
        user.set_unusable_password()
    return user
