"""CSV import (all or nothing, line-numbered errors, malformed files) and role-shaped export."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from cities.assessments_csv import COLUMNS as PUBLIC_COLUMNS
from compacts.models import Assessment
from tests.factories import (
    AssessmentFactory,
    CityFactory,
    InterviewFactory,
    RatingFactory,
    SourceFactory,
    make_stages,
    user_with_role,
)
from workspace import csv_import
from workspace.csv_export import RESEARCHER_COLUMNS
from workspace.models import Rating

pytestmark = pytest.mark.django_db

HEADER = "city,period,rater,stage,confidence,rationale,source,quote,location,interview\n"
SAMPLE = Path(__file__).resolve().parents[2] / "workspace/static/workspace/ratings-sample.csv"


@pytest.fixture
def world():
    make_stages()
    for slug in ["denver", "hartford", "minneapolis"]:
        CityFactory(name=slug.title(), slug=slug)
    SourceFactory(key="bridging-the-divide-2017")
    return {
        "researcher": user_with_role("researcher", "researcher"),
        "lead": user_with_role("lead", "lead"),
    }


def _import(text: str, user, **kwargs):
    return csv_import.import_ratings(data=text.encode(), user=user, **kwargs)


def test_the_sample_file_imports(world):
    result = csv_import.import_ratings(data=SAMPLE.read_bytes(), user=world["lead"])
    assert (result.created, result.updated, result.assessments_created) == (3, 0, 3)
    rating = Rating.objects.get(assessment__city__slug="denver")
    assert rating.stage.name == "Intermediate"
    assert rating.evidence.get().quote.startswith("as of 2015, 10 of these center programs")
    assert rating.history.get().history_user == world["lead"]
    assert Assessment.objects.get(city__slug="hartford").period_label == "2018 Q2"


def test_a_row_for_an_existing_rating_with_its_version_updates_it(world):
    _import(HEADER + "denver,2018,researcher,Basic,low,First.,,,,\n", world["researcher"])
    header = HEADER.replace("\n", ",version\n")
    result = _import(header + "denver,2018,researcher,3,high,Second.,,,,,1\n", world["researcher"])
    assert (result.created, result.updated) == (0, 1)
    assert Rating.objects.get().rationale == "Second."


def test_one_bad_row_imports_nothing_and_names_its_line(world):
    text = (
        HEADER
        + "denver,2018,researcher,Basic,low,Fine.,,,,\n"
        + "hartford,2018,researcher,Basic,sure,Bad confidence.,,,,\n"
        + "minneapolis,2018,researcher,Emerging,high,Fine too.,,,,\n"
    )
    with pytest.raises(csv_import.ImportFailed) as failed:
        _import(text, world["researcher"])
    assert [e.line for e in failed.value.errors] == [3]
    assert "confidence 'sure' is not one of" in str(failed.value.errors[0])
    assert not Rating.objects.exists()
    assert not Assessment.objects.exists()


def test_every_bad_row_is_reported_with_its_reasons(world):
    InterviewFactory(city=CityFactory(slug="elsewhere"))
    text = (
        HEADER
        + "atlantis,2018,researcher,Basic,low,x,,,,\n"
        + "denver,18,nobody,Superb,low,,,,,\n"
        + "denver,2017,researcher,Basic,low,x,bridging-the-divide-2017,,,\n"
        + "denver,2018,researcher,Basic,low,x,,,,\n"
        + "denver,2018,researcher,Basic,low,dup,,,,\n"
        + "denver,2019,lead,Basic,low,not mine,,,,\n"
    )
    with pytest.raises(csv_import.ImportFailed) as failed:
        _import(text, world["researcher"])
    errors = {e.line: str(e) for e in failed.value.errors}
    assert sorted(errors) == [2, 3, 4, 6, 7]
    assert "no city with slug 'atlantis'" in errors[2]
    assert "period '18'" in errors[3]
    assert "no user named 'nobody'" in errors[3]
    assert "stage 'Superb'" in errors[3]
    assert "rationale is required" in errors[3]
    assert "a source needs a quote" in errors[4]
    assert "repeats the rating on line 5" in errors[6]
    assert "only a lead may import" in errors[7]


def test_rows_for_a_published_assessment_are_refused(world):
    AssessmentFactory(
        city=CityFactory(slug="boston"),
        period_start=datetime.date(2017, 1, 1),
        consensus_stage=make_stages()["Basic"],
    )
    with pytest.raises(csv_import.ImportFailed) as failed:
        _import(HEADER + "boston,2017-01,researcher,Basic,low,x,,,,\n", world["researcher"])
    assert "published, so its ratings are locked" in str(failed.value.errors[0])


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", csv_import.FILE_EMPTY),
        (b"   \n\n", csv_import.FILE_EMPTY),
        ("city,period\n".encode("latin-1"), "Missing columns: rater, stage, confidence, rationale"),
        (HEADER.replace("quote", "colour").encode(), "Unknown columns: colour"),
        (HEADER.encode(), csv_import.FILE_NO_ROWS),
        ((HEADER + "caf\xe9,2018,researcher,Basic,low,x,,,,\n").encode("latin-1"), "not UTF-8"),
        ((HEADER + 'denver,2018,"researcher,Basic\n').encode(), "not valid CSV"),
        (b"city,city,period\n", "Duplicate columns: city"),
    ],
)
def test_malformed_files_get_a_clear_error(world, data, message):
    with pytest.raises(csv_import.ImportFailed) as failed:
        csv_import.import_ratings(data=data, user=world["researcher"])
    assert message in failed.value.message
    assert not Rating.objects.exists()


def test_a_byte_order_mark_and_windows_line_ends_are_fine(world):
    text = "\ufeff" + HEADER.replace("\n", "\r\n") + "denver,2018,researcher,Basic,low,x,,,,\r\n"
    assert _import(text, world["researcher"]).created == 1


def test_the_import_page_lists_bad_rows(client, world):
    client.force_login(world["researcher"])
    upload = io.BytesIO((HEADER + "denver,2018,researcher,Nope,low,x,,,,\n").encode())
    upload.name = "ratings.csv"
    html = client.post(reverse("workspace:import"), {"file": upload}).content.decode()
    assert "Nothing was imported" in html
    assert "Line 2: stage &#x27;Nope&#x27; is not one of" in html


def test_the_command_imports_with_a_progress_bar(world, tmp_path, capsys):
    path = tmp_path / "big.csv"
    rows = [
        f"denver,{2000 + n // 12}-{n % 12 + 1:02d},researcher,Basic,low,Row {n}.,,,,\n"
        for n in range(12)
    ]
    path.write_text(HEADER + "".join(rows))
    out, err = io.StringIO(), io.StringIO()
    call_command(
        "import_ratings", str(path), user="lead", progress="always", stdout=out, stderr=err
    )
    assert "Imported 12 new and 0 updated ratings" in out.getvalue()
    assert "Importing [##############################] 12/12" in err.getvalue()
    assert Rating.objects.count() == 12


def test_the_command_reports_bad_rows_and_writes_nothing(world, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "denver,2018,researcher,Basic,low,x,,,,\nmars,2018,lead,Basic,low,x,,,,\n"
    )
    with pytest.raises(CommandError, match="Line 3: no city with slug 'mars'"):
        call_command("import_ratings", str(path), user="lead", progress="never")
    assert not Rating.objects.exists()


# Export ------------------------------------------------------------------------------


def _rows(response):
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def rated(world):
    stages = make_stages()
    published = AssessmentFactory(
        city=CityFactory(slug="boston"),
        period_start=datetime.date(2017, 1, 1),
        consensus_stage=stages["Advanced"],
    )
    draft = AssessmentFactory(
        status="draft", published_at=None, period_start=datetime.date(2018, 1, 1)
    )
    interview = InterviewFactory(city=draft.city, interviewee_role="Charter CEO")
    rating = RatingFactory(assessment=draft, rater=world["researcher"], stage=stages["Basic"])
    rating.evidence.create(interview=interview)
    return published, draft


@pytest.mark.parametrize("role", ["anonymous", "funder"])
def test_funders_and_the_public_export_published_assessments_only(client, rated, role):
    if role == "funder":
        client.force_login(user_with_role("funder"))
    old_address = client.get(reverse("workspace:export"))
    assert old_address.status_code == 302
    assert old_address["Location"] == reverse("cities:assessments-csv")
    rows = _rows(client.get(old_address["Location"]))
    assert rows[0] == PUBLIC_COLUMNS
    assert [(r[0], r[6]) for r in rows[1:]] == [("boston", "Advanced")]
    assert not {"rater", "rationale", "evidence", "interview"} & set(rows[0])


def test_researchers_export_everything_with_interview_fields(client, rated, world):
    client.force_login(world["researcher"])
    response = client.get(reverse("workspace:export"))
    rows = _rows(response)
    assert rows[0] == RESEARCHER_COLUMNS
    assert len(rows) == 3
    draft_row = next(r for r in rows[1:] if r[5] == "draft")
    assert "Charter CEO" in draft_row[-1]
    assert response["Cache-Control"] == "private, no-store"
