"""CSV formula injection: no CSV the site writes lets a spreadsheet run a cell as a formula
(OWASP: a quote before a cell starting with = + - @, tab or carriage return)."""

import csv
import datetime
import io
import re
from pathlib import Path

import pytest
from django.urls import reverse

from common.spreadsheet import neutralise, restore
from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    CompactFactory,
    EventFactory,
    RatingFactory,
    make_stages,
    user_with_role,
)
from workspace import csv_import
from workspace.models import ConsensusNote, Rating

ROOT = Path(__file__).resolve().parents[1]
PAYLOADS = ['=HYPERLINK("http://evil.example","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"]


def _cells(text: str) -> list[str]:
    return [cell for row in csv.reader(io.StringIO(text)) for cell in row]


def _dangerous(cells) -> list[str]:
    return [cell for cell in cells if cell[:1] in {"=", "+", "-", "@", "\t", "\r"}]


@pytest.mark.parametrize("payload", PAYLOADS)
def test_a_formula_like_cell_gets_a_quote_and_comes_back_unchanged(payload):
    assert neutralise(payload) == "'" + payload
    assert restore(neutralise(payload)) == payload


@pytest.mark.parametrize("value", ["Denver", "'quoted already", "a = b", -3, 2.5, None, ""])
def test_other_cells_and_numbers_stay_as_they_are(value):
    assert neutralise(value) == value


@pytest.fixture
def planted(db):
    """Formula text in every kind of field that reaches a CSV: a city name, an event title,
    a rationale, a consensus note and a published stage's reasoning."""
    stages = make_stages()
    city = CompactFactory(city=CityFactory(name="=cmd|' /C calc'!A0", slug="planted")).city
    EventFactory(title="@SUM(1+1)*cmd", occurred_on=datetime.date(2016, 1, 1)).cities.add(city)
    AssessmentFactory(
        city=city,
        period_start=datetime.date(2016, 1, 1),
        consensus_stage=stages["Basic"],
        stage_reasoning='-1+HYPERLINK("http://evil.example")',
    )
    draft = AssessmentFactory(
        city=city,
        status=Assessment.Status.DRAFT,
        published_at=None,
        period_start=datetime.date(2018, 1, 1),
    )
    ConsensusNote.objects.create(assessment=draft, text="+SUM(A1:A9)")
    RatingFactory(
        assessment=draft,
        rater=user_with_role("researcher", "planter"),
        stage=stages["Basic"],
        rationale='=HYPERLINK("http://evil.example","Click")',
    )
    return city


def _text(response) -> str:
    assert response.status_code == 200, response.status_code
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


@pytest.mark.parametrize("role", ["anonymous", "funder", "lead"])
def test_no_csv_download_carries_a_live_formula(client, planted, role):
    if role != "anonymous":
        client.force_login(user_with_role(role))
    urls = [reverse("cities:assessments-csv")]
    if role == "lead":
        urls.append(reverse("workspace:export"))
    urls += [
        reverse("dashboard:chart-csv", args=[chart]) + "?as_of=2019-01&city=planted"
        for chart in ("progress", "timeline", "stage-counts", "distribution", "matrix")
    ]
    if role != "anonymous":
        urls += [
            reverse("dashboard:compare-csv") + "?city=planted&as_of=2019-01",
            reverse("dashboard:cohorts-csv") + "?as_of=2019-01",
        ]
    seen = set()
    for url in urls:
        cells = _cells(_text(client.get(url)))
        assert _dangerous(cells) == [], url
        seen |= {cell for cell in cells if cell.startswith("'")}
    assert "'=cmd|' /C calc'!A0" in seen
    assert "'@SUM(1+1)*cmd" in seen
    if role != "lead":  # the public export carries the published stage's reasoning
        assert '\'-1+HYPERLINK("http://evil.example")' in seen
    else:  # the researchers' export carries ratings and notes instead
        assert '\'=HYPERLINK("http://evil.example","Click")' in seen
        assert "'+SUM(A1:A9)" in seen


def test_an_exported_rating_imports_back_with_its_text_unchanged(client, planted):
    planter = Rating.objects.get().rater
    client.force_login(planter)
    exported = _text(client.get(reverse("workspace:export")))
    row = next(r for r in csv.DictReader(io.StringIO(exported)) if r["rater"] == "planter")
    assert row["rationale"] == '\'=HYPERLINK("http://evil.example","Click")'

    result = csv_import.import_ratings(data=exported.encode(), user=planter)

    assert (result.created, result.updated) == (0, 0)
    assert Rating.objects.get().rationale == '=HYPERLINK("http://evil.example","Click")'


def test_every_csv_writer_is_the_safe_one():
    """A new CSV download must go through common.spreadsheet, which neutralises formulas."""
    apps = [apps_py.parent for apps_py in ROOT.glob("*/apps.py")] + [ROOT / "common"]
    assert {"config", "charts", "dashboard", "workspace"} <= {app.name for app in apps}
    offenders = [
        str(path.relative_to(ROOT))
        for app in apps
        for path in app.rglob("*.py")
        if re.search(r"csv\.(writer|DictWriter)\(", path.read_text())
        and path != ROOT / "common/spreadsheet.py"
    ]
    assert offenders == []
