"""Rater calibration: vignettes leads write, researchers' blind ratings of them, and each
researcher's figures against the intended stages. Reads and writes for the calibration
pages live here together (selectors.py and services.py are past their size), in the same
style: keyword-only functions, services with a permission check and ``full_clean``.

Calibration is training material: it never reaches public pages, exports or releases.
"""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery
from django.shortcuts import get_object_or_404

from accounts import roles
from compacts.models import Stage

from . import agreement
from .models import Vignette, VignetteRating

ALREADY_RATED = (
    "You have rated this vignette. Calibration keeps your first rating: you have seen the "
    "intended stage since."
)
AUTHOR_CANNOT_RATE = "You wrote this vignette, so you cannot rate it blind."


# Reads --------------------------------------------------------------------------------


def may_see_answer(*, vignette: Vignette, user, rated: bool) -> bool:
    """The intended stage and reasoning show to the vignette's author and, once they have
    rated it, to a researcher: before that it would not be blind."""
    return rated or vignette.author_id == user.pk


def vignettes_for(*, user) -> QuerySet[Vignette]:
    """Every vignette, with whether ``user`` has rated it (``rated``) and the stage they
    gave (``own_stage``)."""
    own = VignetteRating.objects.filter(vignette=OuterRef("pk"), rater=user)
    return (
        Vignette.objects.select_related("intended_stage", "author")
        .annotate(rated=Exists(own), own_stage=Subquery(own.values("stage__name")[:1]))
        .order_by("title", "id")
    )


def vignette_detail(*, pk: int) -> Vignette:
    return get_object_or_404(Vignette.objects.select_related("intended_stage", "author"), pk=pk)


def own_vignette_rating(*, vignette: Vignette, user) -> VignetteRating | None:
    return (
        VignetteRating.objects.filter(vignette=vignette, rater=user).select_related("stage").first()
    )


def own_ratings(*, user) -> dict[int, VignetteRating]:
    """``user``'s vignette ratings by vignette id."""
    rows = VignetteRating.objects.filter(rater=user).select_related("stage")
    return {row.vignette_id: row for row in rows}


@dataclass(frozen=True)
class Calibration:
    """One researcher's agreement with the intended stages of the vignettes they rated."""

    rater_id: int
    username: str
    figure: agreement.AlphaFigure
    distance: float | None  # mean of rated - intended, in stages; positive = lenient

    @property
    def distance_words(self) -> str:
        return agreement.leniency_words(self.distance)


def calibration_of(pairs: list[tuple[int, int]], *, minimum: int) -> tuple:
    """Alpha (``AlphaFigure``) and mean signed distance of ``(rated, intended)`` stage
    orders: each vignette is a unit with two values, the researcher's and the intended."""
    return agreement.alpha_figure(pairs, minimum=minimum), agreement.mean_signed_distance(pairs)


def calibrations(*, rater_ids: list[int] | None = None) -> dict[int, Calibration]:
    """Each researcher's calibration (of ``rater_ids``, or everyone who rated a vignette),
    keyed by user id, in one query."""
    rows = VignetteRating.objects.order_by("rater__username", "vignette_id")
    if rater_ids is not None:
        rows = rows.filter(rater_id__in=rater_ids)
    pairs: dict[int, list[tuple[int, int]]] = {}
    names: dict[int, str] = {}
    for rater_id, username, rated, intended in rows.values_list(
        "rater_id", "rater__username", "stage__order", "vignette__intended_stage__order"
    ):
        pairs.setdefault(rater_id, []).append((rated, intended))
        names[rater_id] = username
    minimum = settings.CALIBRATION_MIN_CASES
    result = {}
    for rater_id, rater_pairs in pairs.items():
        figure, distance = calibration_of(rater_pairs, minimum=minimum)
        result[rater_id] = Calibration(rater_id, names[rater_id], figure, distance)
    return result


def by_rating(ratings) -> dict[int, Calibration | None]:
    """Each rating's rater's calibration, keyed by rating id (for the lead's view of an
    assessment), in one query."""
    found = calibrations(rater_ids=[rating.rater_id for rating in ratings])
    return {rating.pk: found.get(rating.rater_id) for rating in ratings}


def calibration_for(*, user) -> Calibration | None:
    return calibrations(rater_ids=[user.pk]).get(user.pk)


# Writes -------------------------------------------------------------------------------


def vignette_create(
    *, user, title: str, situation: str, intended_stage: Stage, reasoning: str
) -> Vignette:
    """A lead writes a calibration vignette."""
    if not roles.is_lead(user):
        raise PermissionDenied
    vignette = Vignette(
        title=title.strip(),
        situation=situation.strip(),
        intended_stage=intended_stage,
        reasoning=reasoning.strip(),
        author=user,
    )
    vignette.full_clean()
    vignette.save()
    return vignette


def vignette_rate(*, user, vignette: Vignette, stage: Stage) -> VignetteRating:
    """A researcher's blind rating of ``vignette``. Only the first is kept."""
    if not roles.is_researcher(user):
        raise PermissionDenied
    if vignette.author_id == user.pk:
        raise ValidationError(AUTHOR_CANNOT_RATE)
    rating = VignetteRating(vignette=vignette, rater=user, stage=stage)
    try:
        rating.full_clean()
    except ValidationError as error:
        if "__all__" in error.message_dict:  # the unique (vignette, rater) check
            raise ValidationError(ALREADY_RATED) from error
        raise
    try:
        with transaction.atomic():
            rating.save()
    except IntegrityError as error:  # rated twice at once
        raise ValidationError(ALREADY_RATED) from error
    return rating


def researchers() -> QuerySet:
    """Users who may rate: researchers and leads, by name."""
    return (
        get_user_model()
        .objects.filter(groups__name__in=[roles.RESEARCHER, roles.LEAD])
        .distinct()
        .order_by("username")
    )
