"""Property-based tests (Hypothesis, with its Django integration: each example runs in a
transaction of its own): generated query strings at every GET page, generated path
segments at every URL pattern as every role, generated values at every form and generated
CSV files at the import never give a server error, and a refused form writes nothing."""

import csv
import datetime
import io
import re
from urllib.parse import quote, quote_from_bytes

from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase

from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    make_stages,
    user_with_role,
)
from workspace import csv_import
from workspace.models import Rating

FAST = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
# Parameter names the pages read, and a few they do not.
PARAMS = [
    "city", "q", "page", "page_size", "as_of", "state", "status", "sort", "stage", "program",
    "signing_year", "portfolio", "funding", "backslid", "type", "cohort", "order", "next", "x",
]  # fmt: skip
PROJECT_APPS = {"sources", "accounts", "cities", "compacts", "workspace", "dashboard", "auth"}
PROJECT_APPS |= {"alerts", "releases"} & {a.label for a in apps.get_app_configs()}


def _value() -> st.SearchStrategy[str]:
    """A percent-encoded value: text of any kind (NUL included), raw bytes (often not
    UTF-8), or numbers and dates just outside what the pages expect."""
    return st.one_of(
        st.text(max_size=30).map(lambda s: quote(s, safe="")),
        st.binary(max_size=12).map(lambda b: quote_from_bytes(b, safe="")),
        st.integers(min_value=-(10**20), max_value=10**20).map(str),
        st.sampled_from(["2016-13", "0000-01", "9999-12", "2016-Q5", "1e309", "-0", "nan"]),
    )


_queries = st.lists(st.tuples(st.sampled_from(PARAMS), _value()), max_size=5).map(
    lambda pairs: "&".join(f"{k}={v}" for k, v in pairs)
)


def _routes(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from _routes(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}", tuple(pattern.pattern.regex.groupindex)


class World:
    """The rows every page needs, and a URL for every named page."""

    @staticmethod
    def build():
        stages = make_stages()
        city = CompactFactory(city=CityFactory(name="Boston", slug="boston")).city
        AssessmentFactory(city=city, consensus_stage=stages["Basic"])
        draft = AssessmentFactory(
            city=city,
            period_start=datetime.date(2018, 1, 1),
            status=Assessment.Status.DRAFT,
            published_at=None,
        )
        lead = user_with_role("lead", "prop-lead")
        RatingFactory(assessment=draft, rater=lead, stage=stages["Basic"])
        interview = InterviewFactory(city=city, interviewer=lead)
        SourceFactory(key="a-source")
        return {"city": city, "draft": draft, "interview": interview, "lead": lead}

    @staticmethod
    def urls(world) -> list[str]:
        fillers = {
            "slug": world["city"].slug,
            "chart": "progress",
            "token": "forged",
            "uidb64": "MQ",
        }
        urls = []
        for name, params in sorted(set(_routes())):
            kwargs = {}
            for param in params:
                if param == "pk":
                    kwargs[param] = (
                        world["interview"].pk if "interview" in name else world["draft"].pk
                    )
                else:
                    kwargs[param] = fillers.get(param, "1")
            try:
                urls.append(reverse(name, kwargs=kwargs or None))
            except Exception:  # a converter that wants another shape: skip the page
                continue
        return urls


_FORMS: dict[tuple[str, ...], list] = {}


def _forms(client, urls: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    """(action, field names) of every POST form on the site's pages, as a lead sees them
    (found once per run: the pages' forms do not change between examples)."""
    if urls not in _FORMS:
        _FORMS[urls] = _find_forms(client, urls)
    return _FORMS[urls]


def _find_forms(client, urls: tuple[str, ...]) -> list[tuple[str, tuple[str, ...]]]:
    found = {}
    for url in urls:
        response = client.get(url)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        html = response.content.decode()
        for form in re.finditer(r"<form\b([^>]*)>(.*?)</form>", html, re.S | re.I):
            attributes, body = form.groups()
            if not re.search(r'method="post"', attributes, re.I):
                continue
            action = re.search(r'action="([^"]*)"', attributes)
            target = (action[1] if action and action[1] else url).replace("&amp;", "&")
            names = re.findall(r'<(?:input|select|textarea)\b[^>]*\bname="([^"]+)"', body)
            found[target] = tuple(n for n in names if n != "csrfmiddlewaretoken")
    return sorted(found.items())


def _snapshot() -> dict[str, int]:
    """Row counts of every table the site's own apps (and auth) write."""
    return {
        model._meta.label: model._base_manager.count()
        for model in apps.get_models()
        if model._meta.app_label in PROJECT_APPS and not model._meta.proxy
    }


class QueryStringProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.urls = World.urls(cls.world)

    def test_every_get_page_survives_the_nastiest_query_strings(self):
        # Each page once with fixed hostile input, as anonymous and as a lead.
        hostile = "city=%00&q=%ff%fe&page=-1&page_size=0&as_of=9999-99&sort=%27%22%3C"
        for login in (False, True):
            if login:
                self.client.force_login(self.world["lead"])
            for url in self.urls:
                response = self.client.get(f"{url}?{hostile}")
                assert response.status_code < 500, (url, response.status_code)

    @FAST
    @given(data=st.data(), query=_queries, signed_in=st.booleans())
    def test_generated_query_strings_never_give_a_server_error(self, data, query, signed_in):
        url = data.draw(st.sampled_from(self.urls))
        if signed_in:
            self.client.force_login(self.world["lead"])
        else:
            self.client.logout()
        response = self.client.get(f"{url}?{query}")
        assert response.status_code < 500, (url, query, response.status_code)


ROLES = ("anonymous", "funder", "researcher", "lead")
# What a converter's place in a path gets: text of any kind (NUL, slashes, dots), raw
# bytes, huge or negative numbers, and values the pages know (a city, a release file).
_segment = st.one_of(
    st.text(min_size=1, max_size=24).map(lambda s: quote(s, safe="")),
    st.binary(min_size=1, max_size=10).map(lambda b: quote_from_bytes(b, safe="")),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.sampled_from(
        ["%00", "..", "boston", "1", "9999.12", "x" * 300, "data/assessments.csv", "a%2Fb"]
    ),
)


def _route_templates(resolver=None, prefix: str = ""):
    """Every URL pattern's route ("cities/<slug:slug>/"), walking the resolver; the admin's
    few regular-expression patterns (Django's own catch-alls) are left out."""
    for pattern in (resolver or get_resolver()).url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            yield from _route_templates(pattern, route)
        elif isinstance(pattern.pattern, RoutePattern):
            yield route


class PathProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.users = {
            "anonymous": None,
            "funder": user_with_role("funder", "prop-funder"),
            "researcher": user_with_role("researcher", "prop-researcher"),
            "lead": cls.world["lead"],
        }
        routes = sorted(set(_route_templates()))
        cls.site_routes = [r for r in routes if not r.startswith("admin/")]
        cls.admin_routes = [r for r in routes if r.startswith("admin/")]

    def setUp(self):
        # One client per role, signed in once for all the examples.
        self.clients = {role: Client() for role in ROLES}
        for role, user in self.users.items():
            if user is not None:
                self.clients[role].force_login(user)

    def test_the_walk_finds_every_part_of_the_site(self):
        assert {"releases/<str:number>/files/<path:name>", "dashboard/"} <= set(self.site_routes)
        assert len(self.admin_routes) > 100

    def test_every_url_pattern_survives_the_nastiest_path_segments_as_every_role(self):
        # Deterministic first: NUL, bytes that are not UTF-8, an integer no column holds.
        for route in (r for r in self.site_routes if "<" in r):
            for nasty in ("%00", "%ff%fe", "9" * 25):
                path = re.sub(r"<[^>]+>", nasty, route)
                for role, client in self.clients.items():
                    response = client.get(f"/{path}")
                    assert response.status_code < 500, (role, path, response.status_code)

    # Each example visits every pattern of the site (and a few of the admin's), each as a
    # role drawn for it: a few examples, every pattern, every role.
    @settings(FAST, max_examples=3)
    @given(data=st.data())
    def test_generated_paths_and_queries_at_every_url_pattern_never_give_a_server_error(self, data):
        admin = data.draw(st.lists(st.sampled_from(self.admin_routes), max_size=3), label="admin")
        for route in [*self.site_routes, *admin]:
            role = data.draw(st.sampled_from(ROLES), label=f"role at {route}")
            path = re.sub(r"<[^>]+>", lambda m: data.draw(_segment, label=m[0]), route)
            query = data.draw(_queries, label=f"query at {route}")
            response = self.clients[role].get(f"/{path}?{query}")
            assert response.status_code < 500, (role, path, query, response.status_code)


class FormProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        cls.world = World.build()
        cls.urls = tuple(World.urls(cls.world))

    def test_the_site_has_forms_to_try(self):
        self.client.force_login(self.world["lead"])
        actions = {action for action, _ in _forms(self.client, self.urls)}
        assert {"/workspace/interviews/new/", "/workspace/assessments/new/"} <= actions

    @FAST
    @given(data=st.data())
    def test_generated_values_at_every_form_never_give_a_server_error_or_a_partial_write(
        self, data
    ):
        self.client.force_login(self.world["lead"])
        action, names = data.draw(st.sampled_from(_forms(self.client, self.urls)))
        values = {
            name: data.draw(
                st.one_of(
                    st.text(max_size=40),
                    st.integers(-3, 10**6).map(str),
                    st.sampled_from(["2016-02-30", "2018", "1", "on", ""]),
                ),
                label=name,
            )
            for name in names
        }
        self.client.get(action)  # what merely opening the page writes is not the form's
        before = _snapshot()
        response = self.client.post(action, values)
        assert response.status_code < 500, (action, values, response.status_code)
        if response.status_code != 302:  # refused: nothing at all was written
            assert _snapshot() == before, (action, values)


_cell = st.one_of(
    st.text(max_size=20),
    st.sampled_from(["denver", "2018", "prop-researcher", "Basic", "low", "=1+1", "-", "@x"]),
)


class ImportProperties(TestCase):
    @classmethod
    def setUpTestData(cls):
        make_stages()
        CityFactory(name="Denver", slug="denver")
        SourceFactory(key="a-source")
        cls.researcher = user_with_role("researcher", "prop-researcher")

    @FAST
    @given(
        header=st.lists(st.sampled_from([*csv_import.COLUMNS, "x"]), min_size=1, max_size=8),
        rows=st.lists(st.lists(_cell, max_size=10), max_size=5),
    )
    def test_generated_files_import_fully_or_not_at_all(self, header, rows):
        out = io.StringIO()
        csv.writer(out).writerows([header, *rows])
        before = _snapshot()
        try:
            csv_import.import_ratings(data=out.getvalue().encode(), user=self.researcher)
        except csv_import.ImportFailed:
            assert _snapshot() == before

    # An export and an import per example: fewer examples, the same property.
    # Any character a researcher can send: not NUL, which PostgreSQL's text refuses, nor a
    # lone surrogate, which UTF-8 cannot carry (a form or an import decodes UTF-8, so
    # neither can hold one).
    @settings(FAST, max_examples=12)
    @given(
        rationale=st.text(
            st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1
        )
    )
    def test_any_rationale_survives_an_export_and_an_import_unchanged(self, rationale):
        if not rationale.strip():
            return
        rating = RatingFactory(
            assessment=AssessmentFactory(
                city=CityFactory(), status=Assessment.Status.DRAFT, published_at=None
            ),
            rater=self.researcher,
            stage=make_stages()["Basic"],
            rationale=rationale.strip(),
        )
        self.client.force_login(self.researcher)
        exported = b"".join(self.client.get(reverse("workspace:export")).streaming_content)
        assert all(
            not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
            for row in csv.reader(io.StringIO(exported.decode()))
            for cell in row
        )
        result = csv_import.import_ratings(data=exported, user=self.researcher)
        assert (result.created, result.updated, result.unchanged) == (0, 0, 1)
        rating.refresh_from_db()
        assert (rating.rationale, rating.version) == (rationale.strip(), 1)
        assert Rating.objects.count() == 1
