"""Calibration: vignettes rated blind, first rating kept, figures against the intended
stages worked by hand, and who sees what."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tests.factories import (
    RatingFactory,
    VignetteFactory,
    VignetteRatingFactory,
    make_stages,
    user_with_role,
)
from workspace import calibration
from workspace.agreement import leniency_words
from workspace.models import Vignette, VignetteRating

pytestmark = pytest.mark.django_db

ORDER = ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]


def _rate(rater, pairs):
    """``rater`` rates one new vignette per ``(rated, intended)`` pair of stage orders."""
    stages = make_stages()
    for rated, intended in pairs:
        vignette = VignetteFactory(intended_stage=stages[ORDER[intended]])
        VignetteRatingFactory(vignette=vignette, rater=rater, stage=stages[ORDER[rated]])


def test_alpha_and_distance_match_a_five_case_example_worked_by_hand():
    """(rated, intended): (1,1) (2,2) (3,2) (4,4) (2,3).

    Coincidences: o11=2, o22=2, o44=2, o23=o32=2; margins n1=2, n2=4, n3=2, n4=2; n=10.
    Ordinal d2(c,k) = (n_c + ... + n_k - (n_c + n_k)/2)^2:
    d12=(6-3)^2=9, d13=(8-2)^2=36, d14=(10-2)^2=64, d23=(6-3)^2=9, d24=(8-3)^2=25, d34=(4-2)^2=4.
    Observed: o23*d23 + o32*d32 = 2*9 + 2*9 = 36.
    Expected: 2 * (2*4*9 + 2*2*36 + 2*2*64 + 4*2*9 + 4*2*25 + 2*2*4) = 2 * 760 = 1520.
    alpha = 1 - (n-1) * 36/1520 = 1 - 324/1520 = 0.78684.
    Signed distance: (0 + 0 + 1 + 0 - 1) / 5 = 0: on the intended stage on average.
    """
    rater = user_with_role("researcher")
    _rate(rater, [(1, 1), (2, 2), (3, 2), (4, 4), (2, 3)])

    figures = calibration.calibration_for(user=rater)

    assert figures.figure.cases == 5
    assert figures.figure.alpha == pytest.approx(1 - 324 / 1520)
    assert figures.figure.label == "0.787"
    assert figures.distance == 0
    assert figures.distance_words == "on the intended stage on average"


def test_a_lenient_rater_is_named_lenient_with_their_hand_computed_figures():
    """(rated, intended): (2,1) (3,2) (3,3) (4,4) (1,1).

    Margins n1=3, n2=2, n3=3, n4=2; n=10. d12=(5-2.5)^2=6.25, d23=(5-2.5)^2=6.25,
    d13=(8-3)^2=25, d14=(10-2.5)^2=56.25, d24=(7-2)^2=25, d34=(5-2.5)^2=6.25.
    Observed: (o12 + o21 + o23 + o32) * 6.25 = 25.
    Expected: 2 * (6*6.25 + 9*25 + 6*56.25 + 6*6.25 + 4*25 + 6*6.25) = 2 * 775 = 1550.
    alpha = 1 - 9 * 25/1550 = 0.85484. Distance: (1 + 1 + 0 + 0 + 0) / 5 = +0.4.
    """
    rater = user_with_role("researcher")
    _rate(rater, [(2, 1), (3, 2), (3, 3), (4, 4), (1, 1)])

    figures = calibration.calibration_for(user=rater)

    assert figures.figure.alpha == pytest.approx(1 - 225 / 1550)
    assert figures.distance == pytest.approx(0.4)
    assert figures.distance_words == "0.40 stages higher than intended (lenient)"


def test_a_severe_rater_is_named_severe():
    assert leniency_words(-1.0) == "1.00 stage lower than intended (severe)"


def test_no_variation_leaves_alpha_undefined_and_says_not_enough_cases():
    """Every vignette intended Basic and rated Basic: no expected disagreement, so alpha
    (1 - observed/expected) has nothing to divide by."""
    rater = user_with_role("researcher")
    _rate(rater, [(2, 2)] * 6)

    figures = calibration.calibration_for(user=rater)

    assert figures.figure.alpha is None
    assert figures.figure.cases == 6
    assert figures.figure.label == "not enough cases"


def test_fewer_cases_than_the_minimum_say_not_enough_cases(settings):
    settings.CALIBRATION_MIN_CASES = 5
    rater = user_with_role("researcher")
    _rate(rater, [(1, 1), (2, 2), (3, 3), (4, 3)])

    figures = calibration.calibration_for(user=rater)

    assert figures.figure.alpha is not None
    assert not figures.figure.enough
    assert figures.figure.label == "not enough cases"


def test_a_researcher_keeps_their_first_rating_and_a_second_is_refused():
    stages = make_stages()
    vignette = VignetteFactory(intended_stage=stages["Basic"])
    researcher = user_with_role("researcher")
    calibration.vignette_rate(user=researcher, vignette=vignette, stage=stages["Emerging"])

    with pytest.raises(ValidationError) as refused:
        calibration.vignette_rate(user=researcher, vignette=vignette, stage=stages["Basic"])

    assert refused.value.messages == [calibration.ALREADY_RATED]
    assert list(VignetteRating.objects.values_list("stage__name", flat=True)) == ["Emerging"]


def test_the_author_cannot_rate_their_own_vignette_and_funders_cannot_rate_at_all():
    stages = make_stages()
    lead = user_with_role("lead")
    vignette = VignetteFactory(intended_stage=stages["Basic"], author=lead)

    with pytest.raises(ValidationError):
        calibration.vignette_rate(user=lead, vignette=vignette, stage=stages["Basic"])
    with pytest.raises(PermissionDenied):
        calibration.vignette_rate(
            user=user_with_role("funder"), vignette=vignette, stage=stages["Basic"]
        )
    assert not VignetteRating.objects.exists()


def test_only_a_lead_writes_vignettes_and_an_empty_reasoning_is_refused():
    stages = make_stages()
    fields = {"title": "A", "situation": "S", "intended_stage": stages["Basic"]}
    with pytest.raises(PermissionDenied):
        calibration.vignette_create(user=user_with_role("researcher"), reasoning="R", **fields)
    with pytest.raises(ValidationError):
        calibration.vignette_create(user=user_with_role("lead"), reasoning="  ", **fields)
    assert not Vignette.objects.exists()


def test_a_researcher_sees_the_intended_stage_only_after_rating(client):
    stages = make_stages()
    vignette = VignetteFactory(
        intended_stage=stages["Advanced"], reasoning="Shared accountability frameworks."
    )
    researcher = user_with_role("researcher")
    client.force_login(researcher)
    url = reverse("workspace:vignette-detail", args=[vignette.pk])

    listed = client.get(reverse("workspace:calibration")).content.decode()
    before = client.get(url).content.decode()
    rated = client.post(url, {"stage": stages["Basic"].pk}, follow=True).content.decode()
    listed_after = client.get(reverse("workspace:calibration")).content.decode()

    assert "intended Advanced" not in listed
    assert "you rated it Basic; intended Advanced" in listed_after
    assert "Shared accountability frameworks." not in before
    assert "Intended stage: Advanced" not in before
    assert "Intended stage: Advanced" in rated
    assert "Shared accountability frameworks." in rated
    assert "You rated it Basic, lower than intended." in rated


def test_the_calibration_page_shows_a_researcher_their_own_figures_and_a_lead_everyones(client):
    alice, bob = user_with_role("researcher", "alice"), user_with_role("researcher", "bob")
    _rate(alice, [(2, 1)])
    _rate(bob, [(1, 2)])
    url = reverse("workspace:calibration")

    client.force_login(alice)
    as_alice = client.get(url).content.decode()
    client.force_login(user_with_role("lead"))
    as_lead = client.get(url).content.decode()

    assert "1.00 stage higher than intended (lenient)" in as_alice
    assert "severe" not in as_alice  # bob's figures are not alice's to see
    assert "Every researcher" in as_lead
    assert "1.00 stage lower than intended (severe)" in as_lead


def test_a_lead_sees_each_raters_calibration_beside_their_rating(client, draft):
    stages = make_stages()
    alice = user_with_role("researcher", "alice")
    RatingFactory(assessment=draft, rater=alice, stage=stages["Basic"])
    _rate(alice, [(3, 2)])
    url = reverse("workspace:assessment-detail", args=[draft.pk])

    client.force_login(user_with_role("lead"))
    as_lead = client.get(url).content.decode()
    client.force_login(alice)
    as_alice = client.get(url).content.decode()

    assert "Calibration of alice: not enough cases (1 vignette rated)" in as_lead
    assert "Calibration of alice" not in as_alice


def test_no_vignette_reaches_the_researchers_ratings_export(client, draft):
    stages = make_stages()
    researcher = user_with_role("researcher")
    RatingFactory(assessment=draft, rater=researcher, stage=stages["Basic"])
    vignette = VignetteFactory(
        intended_stage=stages["Basic"], situation="Training situation TRAIN-ONLY-91"
    )
    VignetteRatingFactory(vignette=vignette, rater=researcher, stage=stages["Basic"])
    client.force_login(researcher)

    export = b"".join(client.get(reverse("workspace:export")).streaming_content).decode()

    assert "TRAIN-ONLY-91" not in export
    assert vignette.title not in export
