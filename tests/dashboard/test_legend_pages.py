"""The legend check of tests/charts/test_legend_symbols.py, on the pages themselves with the
seed data: every chart of the dashboard, the city pages and the funder views, pooled."""

import json
import re

import pytest
from django.urls import reverse

from cities.models import City
from tests.charts.test_legend_symbols import shapes_and_meanings
from tests.factories import user_with_role


def _figures(html: str) -> list[dict]:
    return [
        json.loads(body)
        for body in re.findall(
            r'<script id="[a-z]+-figure" type="application/json">(.*?)</script>', html, re.S
        )
    ]


@pytest.mark.usefixtures("seeded")
def test_no_shape_means_two_things_on_any_page(client):
    client.force_login(user_with_role("funder", "a-funder"))
    slugs = list(City.objects.filter(events__isnull=False).values_list("slug", flat=True))
    pages = [
        reverse("dashboard:dashboard") + "?as_of=2018-06",
        reverse("dashboard:dashboard")
        + "".join(f"&city={s}" for s in slugs[:8]).replace("&", "?", 1),
        reverse("dashboard:cohorts"),
        reverse("dashboard:compare") + "?city=boston&city=new-orleans&city=denver",
        *(reverse("cities:city-detail", args=[slug]) for slug in slugs[:4]),
    ]
    figures = [figure for page in pages for figure in _figures(client.get(page).content.decode())]

    found = shapes_and_meanings(figures)

    assert {symbol: meanings for symbol, meanings in found.items() if len(meanings) > 1} == {}
    meanings = {m for ms in found.values() for m in ms}
    assert any(m.startswith("Finding:") for m in meanings)
    assert any(m.startswith("Event:") for m in meanings)
