"""Every URL of the site, for every kind of user, answers the expected status.

The URL list comes from the resolver, so a URL added later fails
``test_every_url_has_an_expectation`` until it is added to ``EXPECTED`` below. Admin URLs
follow one rule (they are staff-only and nobody here is staff): the admin sign-in page
answers, everything else redirects to it.
"""

import datetime
import re
from dataclasses import dataclass

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from compacts.models import Assessment, RevisionLogEntry
from dashboard.presenters import CSV_TABLES
from releases.models import Release
from releases.services import release_create
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    InterviewFactory,
    RatingFactory,
    make_stages,
    user_with_role,
)
from workspace.models import Interview, Rating

pytestmark = pytest.mark.django_db

ANON, FUNDER, RESEARCHER, LEAD = "anonymous", "funder", "researcher", "lead"
ROLES = [ANON, FUNDER, RESEARCHER, LEAD]
LOGIN = "sign-in"  # a redirect to the sign-in page
ADMIN_LOGIN = "admin sign-in"
ADMIN_INDEX = "admin index"  # which itself sends non-staff to the admin sign-in

PUBLIC = dict.fromkeys(ROLES, 200)
# The old public CSV address: researchers get theirs, everyone else the public CSV's address.
TO_PUBLIC_CSV = "redirect to the public CSV"
RESEARCHERS_ELSE_PUBLIC_CSV = {
    ANON: TO_PUBLIC_CSV,
    FUNDER: TO_PUBLIC_CSV,
    RESEARCHER: 200,
    LEAD: 200,
}
TO_ICON = "redirect to the site's icon"
SIGNED_IN = {ANON: LOGIN, FUNDER: 200, RESEARCHER: 200, LEAD: 200}
# Funders, researchers and leads (accounts.roles.is_funder); a user with no role gets 403.
FUNDERS = {ANON: LOGIN, FUNDER: 200, RESEARCHER: 200, LEAD: 200}
RESEARCHERS = {ANON: LOGIN, FUNDER: 403, RESEARCHER: 200, LEAD: 200}
LEADS = {ANON: LOGIN, FUNDER: 403, RESEARCHER: 403, LEAD: 200}
LEADS_POST_ONLY = {ANON: LOGIN, FUNDER: 403, RESEARCHER: 403, LEAD: 405}
POST_ONLY = dict.fromkeys(ROLES, 405)
SIGNED_IN_POST_ONLY = {ANON: LOGIN, FUNDER: 405, RESEARCHER: 405, LEAD: 405}


def _source():
    """A source with text, for the quote picker's search."""
    from sources.models import Source

    return Source.objects.get_or_create(
        key="permission-source",
        defaults={"title": "A source", "kind": "report", "date_precision": "unknown", "text": "x"},
    )[0]


def _vignette():
    """A calibration vignette (training material), written by a lead."""
    from tests.factories import VignetteFactory

    return VignetteFactory(
        intended_stage=make_stages()["Basic"], author=user_with_role("lead", "vignette-author")
    )


@dataclass
class World:
    city: object
    interview: object
    draft: Assessment
    chart: str
    release: Release


# name (or route, for unnamed patterns) -> (kwargs from the world, expected status per role)
EXPECTED = {
    "favicon": (None, dict.fromkeys(ROLES, TO_ICON)),
    "cities:city-list": (None, PUBLIC),
    "cities:city-directory": (None, PUBLIC),
    "cities:city-detail": (lambda w: {"slug": w.city.slug}, PUBLIC),
    "cities:research-findings": (None, PUBLIC),
    "cities:sitemap": (None, PUBLIC),
    "cities:api-index": (None, PUBLIC),
    # Any other address under /api/ answers a JSON 404, to everyone alike.
    "cities:api-not-found": (lambda w: {"rest": "nothing/"}, dict.fromkeys(ROLES, 404)),
    "cities:api-city-list": (None, PUBLIC),
    "cities:api-city-detail": (lambda w: {"slug": w.city.slug}, PUBLIC),
    "cities:api-assessment-list": (None, PUBLIC),
    "cities:assessments-csv": (None, PUBLIC),
    "cities:api-initiative-list": (None, PUBLIC),
    "cities:revision-feed": (None, PUBLIC),
    "cities:city-revision-feed": (lambda w: {"slug": w.city.slug}, PUBLIC),
    "releases:release-list": (None, PUBLIC),
    "releases:release-create": (None, LEADS),
    "releases:release-detail": (lambda w: {"number": w.release.number}, PUBLIC),
    "releases:release-zip": (lambda w: {"number": w.release.number}, PUBLIC),
    "releases:release-file": (
        lambda w: {"number": w.release.number, "name": "data/assessments.csv"},
        PUBLIC,
    ),
    "embed:figure6": (None, PUBLIC),
    "embed:timeline": (None, PUBLIC),
    "cities:city-timeline-embed": (lambda w: {"slug": w.city.slug}, PUBLIC),
    "alerts:watch-list": (None, SIGNED_IN),
    "alerts:watch-toggle": (lambda w: {"slug": w.city.slug}, SIGNED_IN_POST_ONLY),
    # A forged token is refused for everyone (the real one comes only in an email).
    "alerts:unsubscribe": (lambda w: {"token": "forged"}, dict.fromkeys(ROLES, 400)),
    # Asking for a fresh unsubscribe link by email: open to all, like a password reset.
    "alerts:unsubscribe-link": (None, PUBLIC),
    "dashboard:dashboard": (None, PUBLIC),
    "dashboard:timeline": (None, PUBLIC),
    "dashboard:map": (None, PUBLIC),
    "dashboard:chart-csv": (lambda w: {"chart": w.chart}, PUBLIC),
    "dashboard:compare": (None, FUNDERS),
    "dashboard:compare-csv": (None, FUNDERS),
    "dashboard:cohorts": (None, FUNDERS),
    "dashboard:cohorts-csv": (None, FUNDERS),
    "workspace:workspace": (None, RESEARCHERS),
    "workspace:interview-list": (None, RESEARCHERS),
    "workspace:interview-create": (None, RESEARCHERS),
    "workspace:interview-detail": (lambda w: {"pk": w.interview.pk}, RESEARCHERS),
    "workspace:interview-edit": (lambda w: {"pk": w.interview.pk}, RESEARCHERS),
    "workspace:interview-delete": (lambda w: {"pk": w.interview.pk}, RESEARCHERS),
    "workspace:assessment-create": (None, RESEARCHERS),
    "workspace:assessment-detail": (lambda w: {"pk": w.draft.pk}, RESEARCHERS),
    "workspace:rating-edit": (lambda w: {"pk": w.draft.pk}, RESEARCHERS),
    "workspace:source-list": (None, RESEARCHERS),
    "workspace:source-create": (None, RESEARCHERS),
    "workspace:source-passages": (lambda w: {"pk": _source().pk}, RESEARCHERS),
    "workspace:evidence-verify": (lambda w: {"pk": 1}, LEADS_POST_ONLY),
    "workspace:assessment-reconcile": (lambda w: {"pk": w.draft.pk}, LEADS),
    "workspace:assessment-publish": (lambda w: {"pk": w.draft.pk}, LEADS_POST_ONLY),
    "workspace:assessment-unpublish": (lambda w: {"pk": w.draft.pk}, LEADS_POST_ONLY),
    "workspace:agreement": (None, LEADS),
    "workspace:calibration": (None, RESEARCHERS),
    "workspace:vignette-create": (None, LEADS),
    "workspace:vignette-detail": (lambda w: {"pk": _vignette().pk}, RESEARCHERS),
    "workspace:coverage": (None, RESEARCHERS),
    "workspace:coverage-csv": (None, RESEARCHERS),
    "workspace:assignment-create": (None, LEADS),
    "workspace:import": (None, RESEARCHERS),
    "workspace:export": (None, RESEARCHERS_ELSE_PUBLIC_CSV),
    "login": (None, PUBLIC),
    "logout": (None, POST_ONLY),
    "password_change": (None, SIGNED_IN),
    "password_change_done": (None, SIGNED_IN),
    "password_reset": (None, PUBLIC),
    "password_reset_done": (None, PUBLIC),
    "password_reset_confirm": (lambda w: {"uidb64": "MQ", "token": "not-a-token"}, PUBLIC),
    "password_reset_complete": (None, PUBLIC),
}

ADMIN_OPEN = {"admin:login": PUBLIC, "admin:logout": dict.fromkeys(ROLES, ADMIN_INDEX)}
ADMIN_FILLERS = {"object_id": "1", "app_label": "compacts", "content_type_id": "1", "url": "x/"}


@dataclass(frozen=True)
class Route:
    key: str  # the URL name, or the route for an unnamed pattern
    route: str
    name: str | None
    params: tuple[str, ...]
    positional: int = 0

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(patterns, prefix="", namespace=None, params=(), positional=0):
    for p in patterns:
        regex = p.pattern.regex
        found = (*params, *regex.groupindex)
        unnamed = positional + regex.groups - len(regex.groupindex)
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns, found, unnamed)
        elif isinstance(p, URLPattern):
            route = prefix + str(p.pattern)
            name = p.name and (f"{namespace}:{p.name}" if namespace else p.name)
            yield Route(key=name or route, route=route, name=name, params=found, positional=unnamed)


def site_routes() -> list[Route]:
    return list(_walk(get_resolver().url_patterns))


def _url(route: Route, world: World) -> str:
    if route.is_admin:
        kwargs = {p: ADMIN_FILLERS.get(p, "1") for p in route.params}
        if route.name and route.positional:
            return reverse(route.name, args=["1"] * route.positional)
        if route.name:
            return reverse(route.name, kwargs=kwargs)
        # An unnamed admin route, e.g. "admin/auth/user/<path:object_id>/".
        path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: kwargs[m.group(1)], route.route)
        return "/" + path.replace("(?P<url>.*)$", "x/").lstrip("^")
    make_kwargs, _ = EXPECTED[route.key]
    return reverse(route.name, kwargs=make_kwargs(world) if make_kwargs else None)


def _expected(route: Route, role: str):
    if route.is_admin:
        return ADMIN_OPEN.get(route.key, dict.fromkeys(ROLES, ADMIN_LOGIN))[role]
    return EXPECTED[route.key][1][role]


def _answers(response, expected) -> bool:
    if expected == LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("login") + "?next="
        )
    if expected == ADMIN_LOGIN:
        return response.status_code == 302 and response["Location"].startswith(
            reverse("admin:login")
        )
    if expected == TO_PUBLIC_CSV:
        return response.status_code == 302 and response["Location"] == reverse(
            "cities:assessments-csv"
        )
    if expected == TO_ICON:
        return response.status_code == 301 and response["Location"].endswith("favicon.svg")
    if expected == ADMIN_INDEX:
        return response.status_code == 302 and response["Location"] == reverse("admin:index")
    return response.status_code == expected


@pytest.fixture
def world():
    stages = make_stages()
    city = CityFactory()
    AssessmentFactory(city=city, consensus_stage=stages["Basic"])
    draft = AssessmentFactory(
        city=city, period_start=datetime.date(2018, 1, 1), status="draft", published_at=None
    )
    researcher = user_with_role(RESEARCHER, "permission-researcher")
    RatingFactory(assessment=draft, rater=researcher, stage=stages["Advanced"])
    chart = next(iter(CSV_TABLES))
    return World(
        city=city,
        interview=InterviewFactory(city=city, interviewer=researcher),
        draft=draft,
        chart=chart,
        release=release_create(
            user=user_with_role(LEAD, "release-lead"), number="2026.1", note="n"
        ),
    )


def _client_as(client, role: str):
    if role != ANON:
        client.force_login(user_with_role(role, f"permission-{role}".replace(" ", "-")))
    return client


def test_every_url_has_an_expectation():
    routes = site_routes()
    missing = sorted(r.key for r in routes if not r.is_admin and r.key not in EXPECTED)
    assert not missing, f"Add these URLs to tests/test_permissions.py EXPECTED: {missing}"
    stale = sorted(set(EXPECTED) - {r.key for r in routes})
    assert not stale, f"EXPECTED names URLs the site no longer has: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_every_url_answers_each_role_as_expected(client, world, role):
    client = _client_as(client, role)
    wrong = []
    for route in site_routes():
        if not route.is_admin and route.key not in EXPECTED:
            continue  # reported by test_every_url_has_an_expectation
        url = _url(route, world)
        response = client.get(url)
        expected = _expected(route, role)
        if not _answers(response, expected):
            wrong.append(f"{url}: expected {expected}, got {response.status_code}")
    assert not wrong, f"As {role}:\n" + "\n".join(wrong)


# Writes: the same guard on POST, and nothing changes when it refuses. ----------------

WRITES = {
    "workspace:interview-create": (None, RESEARCHERS),
    "workspace:interview-edit": (lambda w: {"pk": w.interview.pk}, RESEARCHERS),
    "workspace:interview-delete": (lambda w: {"pk": w.interview.pk}, RESEARCHERS),
    "workspace:assessment-create": (None, RESEARCHERS),
    "workspace:rating-edit": (lambda w: {"pk": w.draft.pk}, RESEARCHERS),
    "workspace:assessment-reconcile": (lambda w: {"pk": w.draft.pk}, LEADS),
    "workspace:assessment-publish": (lambda w: {"pk": w.draft.pk}, LEADS),
    "workspace:assessment-unpublish": (lambda w: {"pk": w.draft.pk}, LEADS),
    "workspace:import": (None, RESEARCHERS),
}


def _snapshot():
    return (
        list(Interview.objects.values_list("id", "version", "notes")),
        list(Assessment.objects.values_list("id", "version", "status", "consensus_stage")),
        list(Rating.objects.values_list("id", "version", "stage")),
        RevisionLogEntry.objects.count(),
    )


@pytest.mark.parametrize("role", [ANON, FUNDER, RESEARCHER])
def test_refused_writes_change_nothing(client, world, role):
    client = _client_as(client, role)
    stage = make_stages()["Embedded"].pk
    payload = {
        "city": world.city.pk,
        "conducted_on": "2019-01-01",
        "interviewee_role": "x",
        "sector": "district",
        "notes": "overwritten",
        "period": "2019",
        "stage": stage,
        "consensus_stage": stage,
        "confidence": "low",
        "rationale": "x",
        "reason": "x",
        "override_reason": "x",
        "version": 1,
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }
    before = _snapshot()
    for name, (make_kwargs, expected) in WRITES.items():
        if expected[role] == 200:
            continue
        url = reverse(name, kwargs=make_kwargs(world) if make_kwargs else None)
        response = client.post(url, payload)
        assert _answers(response, expected[role]), f"{role} POST {url}: {response.status_code}"
    assert _snapshot() == before


def test_the_anonymous_user_is_not_a_researcher():
    from accounts import roles

    assert not roles.is_researcher(AnonymousUser())
