"""Embeds say their date and age in words; a refused date or an empty filter never reaches
a permalink, a CSV link or the embed code."""

import datetime
import html

import pytest
from django.urls import reverse

from tests.factories import AssessmentFactory, CityFactory, CompactFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def boston(stages):
    city = CompactFactory(city=CityFactory(name="Boston", slug="boston", state="MA")).city
    AssessmentFactory(
        city=city, period_start=datetime.date(2017, 1, 1), consensus_stage=stages["Intermediate"]
    )
    return city


def _text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.mark.parametrize(
    "url",
    [
        reverse("embed:figure6") + "?as_of=2026-06",
        reverse("embed:timeline") + "?as_of=2026-06&city=boston",
    ],
)
def test_an_embed_says_its_month_and_the_data_age_in_words_with_the_stale_warning(
    client, boston, url
):
    text = _text(client.get(url))

    assert "Chart as of June 2026." in text
    assert "Data as of January 2017 \N{EM DASH} 9 years old." in text
    assert "Old data." in text


def test_the_city_timeline_embed_says_its_date_and_age(client, boston):
    text = _text(client.get(reverse("cities:city-timeline-embed", args=["boston"])))

    assert "Data as of January 2017 \N{EM DASH}" in text
    assert "Old data." in text


def test_an_embed_of_fresh_data_gives_its_age_without_a_warning(client, boston):
    text = _text(client.get(reverse("embed:figure6") + "?as_of=2018-03"))

    assert "Data as of January 2017 \N{EM DASH} 1 year old." in text
    assert "Old data." not in text


@pytest.mark.parametrize("refused", ["2999-01", "garbage", "2017-13"])
def test_a_refused_date_never_reaches_the_permalink_csv_link_or_embed_code(client, boston, refused):
    page = _text(client.get(reverse("dashboard:dashboard"), {"as_of": refused, "state": ""}))
    embed = _text(client.get(reverse("embed:figure6"), {"as_of": refused}))
    timeline = _text(client.get(reverse("dashboard:timeline"), {"as_of": refused}))

    for text in (page, embed, timeline):
        assert f"as_of={refused}" not in text
    assert 'rel="bookmark"' in page
    assert 'rel="bookmark"' in timeline
    assert "/embed/figure-6/" in page  # the embed code is there, without the date


def test_the_filter_permalink_carries_no_empty_params(client, boston):
    response = client.get(
        reverse("dashboard:dashboard"), {"as_of": "2020-05", "state": "", "q": "", "sort": "name"}
    )

    assert response.context["permalink"] == "http://testserver/dashboard/?as_of=2020-05&sort=name"
    progress = response.context["panels"][0]
    assert progress.csv_url == "/dashboard/data/progress.csv?as_of=2020-05&sort=name"
    assert progress.embed_url == "/embed/figure-6/?as_of=2020-05&sort=name"
