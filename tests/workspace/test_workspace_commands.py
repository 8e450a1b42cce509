"""Management commands and the agreement overview over real ratings."""

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from accounts import roles
from tests.factories import AssessmentFactory, RatingFactory, make_stages, user_with_role
from workspace import selectors

pytestmark = pytest.mark.django_db


def test_create_user_gives_the_user_exactly_one_role(monkeypatch):
    monkeypatch.setenv("NEW_PASSWORD", "correct-horse-battery-staple")
    call_command("create_user", "rosa", role="lead", password_env="NEW_PASSWORD")
    rosa = get_user_model().objects.get(username="rosa")
    assert roles.is_lead(rosa)
    assert rosa.check_password("correct-horse-battery-staple")

    call_command("create_user", "rosa", role="funder", update=True)
    rosa = get_user_model().objects.get(username="rosa")
    assert list(rosa.groups.values_list("name", flat=True)) == ["funder"]
    assert not roles.is_researcher(rosa)


def test_create_user_refuses_an_existing_user_and_a_weak_password(monkeypatch):
    user_with_role("researcher", "sam")
    with pytest.raises(CommandError, match="exists"):
        call_command("create_user", "sam", role="lead")
    monkeypatch.setenv("WEAK", "123")
    with pytest.raises(CommandError, match="too short"):
        call_command("create_user", "tia", role="researcher", password_env="WEAK")
    assert not get_user_model().objects.filter(username="tia").exists()


def test_import_command_names_an_unknown_user(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("city\n")
    with pytest.raises(CommandError, match="No user named 'ghost'"):
        call_command("import_ratings", str(path), user="ghost")


def test_agreement_overview_computes_ordinal_alpha_over_assessments():
    stages = make_stages()
    names = ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced"]
    raters = [user_with_role("researcher", f"rater{i}") for i in range(2)]
    # Two raters agree on four assessments and are one stage apart on a fifth.
    for i, name in enumerate(names):
        assessment = AssessmentFactory(
            status="draft", published_at=None, period_start=f"{2010 + i}-01-01"
        )
        RatingFactory(assessment=assessment, rater=raters[0], stage=stages[name])
        other = names[i + 1] if i == 0 else name
        RatingFactory(assessment=assessment, rater=raters[1], stage=stages[other])
    overview = selectors.agreement_overview()
    assert overview.pairable_units == 5
    assert overview.exact == pytest.approx(0.8)
    assert 0.8 < overview.alpha < 1
    assert overview.rows[0].spread.steps == 1
