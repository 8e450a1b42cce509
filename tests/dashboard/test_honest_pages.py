"""The pages tell the truth at a glance: the seed data read as of today is old, and every
page says so in the same words, dates and colours."""

import datetime
import json
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from charts import chart_style
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    EventFactory,
    user_with_role,
)

pytestmark = pytest.mark.django_db

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"


def _figure(response, key):
    match = re.search(
        rf'<script id="{key}-figure" type="application/json">(.*?)</script>',
        response.content.decode(),
        re.S,
    )
    return json.loads(match.group(1)) if match else None


def _line_colours(figure) -> dict[str, str]:
    """Each city's colour in a timeline figure, by its legend entry."""
    return {
        t["name"].split(" · ")[0]: t["line"]["color"]
        for t in figure["data"]
        if t.get("showlegend") and " · " in t["name"]
    }


@pytest.fixture
def funder_client(client):
    client.force_login(user_with_role("funder", "a-funder"))
    return client


@pytest.fixture
def three_cities(stages):
    for name, state, order in [("Boston", "MA", 4), ("Denver", "CO", 3), ("Camden", "NJ", 2)]:
        city = CompactFactory(
            city=CityFactory(name=name, state=state, slug=name.lower()), signing_year=2011
        ).city
        AssessmentFactory(
            city=city,
            period_start=datetime.date(2017, 1, 1),
            consensus_stage=stages[["Baseline", "Emerging", "Basic", "Intermediate",
                                    "Advanced"][order]],
        )  # fmt: skip


def test_a_citys_colour_is_the_same_in_the_dashboard_timeline_and_in_compare(
    funder_client, three_cities
):
    dashboard = _figure(
        funder_client.get(reverse("dashboard:dashboard") + "?city=denver&city=boston&city=camden"),
        "timeline",
    )
    compare = _figure(
        funder_client.get(reverse("dashboard:compare") + "?city=boston&city=camden&city=denver"),
        "timeline",
    )

    colours = _line_colours(dashboard)
    assert set(colours) == {"Boston, MA", "Denver, CO", "Camden, NJ"}
    assert colours == _line_colours(compare)
    assert len(set(colours.values())) == 3


def test_the_same_event_kind_has_the_same_symbol_on_every_city_page(client, stages):
    boston = CityFactory(name="Boston", state="MA", slug="boston")
    denver = CityFactory(name="Denver", state="CO", slug="denver")
    for city, kinds in ((boston, ["election_or_ballot", "grant"]), (denver, ["signing", "grant"])):
        for kind in kinds:
            EventFactory(kind=kind, occurred_on=datetime.date(2014, 1, 1)).cities.add(city)

    def symbols(slug):
        figure = _figure(client.get(reverse("cities:city-detail", args=[slug])), "timeline")
        return {t["name"]: t["marker"]["symbol"] for t in figure["data"]
                if t["name"].startswith("Event:") and t.get("showlegend")}  # fmt: skip

    assert symbols("boston")["Event: grant"] == symbols("denver")["Event: grant"]
    assert symbols("boston")["Event: grant"] == chart_style.EVENT_SYMBOLS["grant"]


def test_a_city_with_no_assessment_gets_a_year_axis_on_its_page(client):
    tulsa = CityFactory(name="Tulsa", state="OK", slug="tulsa")
    EventFactory(kind="signing", occurred_on=datetime.date(2014, 1, 1)).cities.add(tulsa)

    figure = _figure(client.get(reverse("cities:city-detail", args=["tulsa"])), "timeline")

    assert figure["layout"]["xaxis"]["type"] == "date"
    assert figure["layout"]["xaxis"]["tickformat"] == "%Y"


def _dates_shown(text: str) -> list[datetime.date]:
    """Every date a page or CSV shows: ISO days, "3 April 2024" and "April 2024" (a month
    counts as its first day, which must not be after today either)."""
    found = [datetime.date.fromisoformat(d) for d in re.findall(r"\b\d{4}-\d{2}-\d{2}\b", text)]
    for day, month, year in re.findall(rf"\b(\d{{1,2}}) ({MONTHS}) (\d{{4}})\b", text):
        found.append(datetime.datetime.strptime(f"{day} {month} {year}", "%d %B %Y").date())
    for month, year in re.findall(rf"\b({MONTHS}) (\d{{4}})\b", text):
        found.append(datetime.datetime.strptime(f"1 {month} {year}", "%d %B %Y").date())
    return found


def test_no_page_shows_a_date_after_today_and_the_default_as_of_is_this_month(
    seeded, client, monkeypatch
):
    # Mid-month, when "the end of this month" is still in the future.
    today = datetime.date(2026, 11, 23)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: today)
    client.force_login(user_with_role("funder", "a-funder"))
    urls = [
        reverse("cities:city-list"),
        reverse("cities:city-directory"),
        reverse("cities:city-detail", args=["boston"]),
        reverse("cities:city-detail", args=["tulsa"]),
        reverse("dashboard:dashboard"),
        reverse("dashboard:timeline") + "?city=boston&city=denver",
        reverse("dashboard:compare") + "?city=boston&city=denver",
        reverse("dashboard:cohorts"),
        *(reverse("dashboard:chart-csv", args=[c]) for c in ("progress", "timeline")),
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        shown = _dates_shown(response.content.decode())
        assert shown, url
        assert max(shown) <= today, (url, max(shown))
    page = client.get(reverse("dashboard:dashboard")).content.decode()
    assert "as of <strong>November 2026</strong>" in page


def test_with_the_seed_data_every_assessed_city_is_stale_and_the_page_says_so(seeded, client):
    page = client.get(reverse("dashboard:dashboard")).content.decode()

    assert "Every assessed city is stale" in page
    assert "Newest published assessment: January 2017" in page
    figure = _figure(client.get(reverse("dashboard:dashboard")), "progress")
    (stale,) = [t for t in figure["data"] if t["name"].startswith("Stale")]
    drawn = {y for t in figure["data"] if t["type"] == "bar" and t["x"] != [None] for y in t["y"]}
    assert set(stale["y"]) == drawn


def test_a_date_before_any_assessment_says_so_and_offers_the_earliest(client, three_cities):
    response = client.get(reverse("dashboard:dashboard") + "?as_of=2015-01")
    page = response.content.decode()

    assert "No published assessment on or before January 2015" in page
    assert "the earliest is for January 2017" in page
    assert "as_of=2017-01" in page
    # The timeline says why it is empty: the cities do match.
    assert "No cities match" not in page
    assert "None of the 3 matching cities had a published assessment by January 2015" in page
    assert "Download PNG" not in re.search(
        r'<section class="panel" id="timeline".*?</section>', page, re.S
    ).group(0)


def test_one_matching_city_is_one_city_that_matches(client, three_cities):
    page = client.get(reverse("dashboard:dashboard") + "?state=MA").content.decode()

    assert "1 city matches the filters" in page


def test_washington_dc_is_named_once(client):
    CityFactory(name="Washington, D.C.", state="DC", slug="washington-dc")

    page = client.get(reverse("cities:city-detail", args=["washington-dc"])).content.decode()
    home = client.get(reverse("cities:city-list")).content.decode()

    assert "<h1>Washington, D.C.</h1>" in page
    assert "D.C., DC" not in page
    assert "D.C., DC" not in home


def test_the_city_picker_is_plain_checkboxes_with_a_count_that_work_without_javascript(
    client, three_cities
):
    response = client.get(reverse("dashboard:dashboard") + "?city=boston&city=denver")
    page = response.content.decode()

    assert "<select" not in re.search(r'<fieldset class="picker.*?</fieldset>', page, re.S).group(0)
    assert 'type="checkbox" name="city" value="boston" id="timeline-city-boston" checked' in page
    assert 'for="timeline-city-boston"' in page
    assert "2 of up to 8 chosen" in page
    assert re.search(r'<input type="search"[^>]*data-picker-search[^>]*hidden>', page)
    assert "multiple" not in page


def test_the_site_has_a_favicon(client):
    page = client.get(reverse("cities:city-list")).content.decode()

    assert re.search(r'<link rel="icon" href="/static/favicon.svg"', page)


def test_a_month_after_this_one_is_refused_and_this_month_shown(client, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2026, 11, 23))
    client.force_login(user_with_role("funder", "a-funder"))  # the cohorts are the funders'
    for url in [reverse("dashboard:dashboard"), reverse("dashboard:cohorts")]:
        html = client.get(url + "?as_of=2999-01").content.decode()
        assert "there is no record of later months" in html, url
        assert "January 2999" not in html, url
        assert "November 2026" in html, url
