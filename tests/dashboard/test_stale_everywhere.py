"""Wherever a current stage is shown, a stale one says so with its date: compare (table and
CSV), the city page's headline, the directory and the home list."""

import csv
import html
import io

import pytest
from django.urls import reverse

from tests.factories import CityFactory, user_with_role

pytestmark = pytest.mark.django_db

STALE_ROW = "Stale (current stage over 3 years old)"


@pytest.fixture
def funder_client(client):
    client.force_login(user_with_role("funder", "a-funder"))
    return client


def _rows(response) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in csv.reader(io.StringIO(response.content.decode()))}


def test_compare_flags_a_stale_current_stage_with_its_age_in_the_table_and_csv(
    funder_client, boston
):
    CityFactory(name="Quiet", slug="quiet")
    query = "?city=boston&city=quiet&as_of=2026-11"
    rows = _rows(funder_client.get(reverse("dashboard:compare-csv") + query))
    page = html.unescape(funder_client.get(reverse("dashboard:compare") + query).content.decode())

    assert rows["Period of current stage"] == ["December 2016", ""]
    assert rows[STALE_ROW] == ["yes (9 years 11 months before November 2026)", ""]
    assert "yes (9 years 11 months before November 2026)" in page


def test_compare_does_not_flag_a_recent_stage(funder_client, boston):
    rows = _rows(funder_client.get(reverse("dashboard:compare-csv") + "?city=boston&as_of=2018-01"))

    assert rows[STALE_ROW] == ["no"]


def test_the_city_headline_says_a_stale_stage_is_stale_with_its_date(client, boston):
    page = html.unescape(client.get(boston.get_absolute_url()).content.decode())

    assert "Reached Advanced by December 2016; no ground lost by December 2016." in page
    assert "Stale: the latest published assessment is for December 2016," in page


@pytest.mark.parametrize("name", ["cities:city-directory"])
def test_the_directory_marks_a_stale_stage(client, boston, name):
    CityFactory(name="Quiet", slug="quiet")
    page = client.get(reverse(name)).content.decode()

    assert page.count("badge--stale") == 1
