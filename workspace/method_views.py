"""Views of the research-method pages: calibration, the coverage planner and its CSV.
Fetch with ``calibration`` and ``coverage``, write with their services, render."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from accounts import roles
from accounts.roles import lead_required, researcher_required

from . import calibration
from .method_forms import VignetteForm, VignetteRatingForm


def _refuse(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)


# Calibration --------------------------------------------------------------------------


@researcher_required
def calibration_home(request):
    is_lead = roles.is_lead(request.user)
    context = {
        "vignettes": calibration.vignettes_for(user=request.user),
        "own": calibration.calibration_for(user=request.user),
        "everyone": calibration.calibrations().values() if is_lead else None,
        "is_lead": is_lead,
        "min_cases": settings.CALIBRATION_MIN_CASES,
    }
    return render(request, "workspace/calibration.html", context)


@lead_required
def vignette_create(request):
    form = VignetteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            vignette = calibration.vignette_create(user=request.user, **form.cleaned_data)
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Vignette saved: researchers can now rate it blind.")
            return redirect("workspace:vignette-detail", pk=vignette.pk)
    return render(request, "workspace/vignette_form.html", {"form": form})


@researcher_required
def vignette_detail(request, pk: int):
    vignette = calibration.vignette_detail(pk=pk)
    own = calibration.own_vignette_rating(vignette=vignette, user=request.user)
    form = VignetteRatingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            calibration.vignette_rate(
                user=request.user, vignette=vignette, stage=form.cleaned_data["stage"]
            )
        except ValidationError as error:
            _refuse(form, error)
        else:
            messages.success(request, "Rating saved. Here is the intended stage and why.")
            return redirect("workspace:vignette-detail", pk=pk)
    context = {
        "vignette": vignette,
        "own": own,
        "form": form,
        "answer": calibration.may_see_answer(
            vignette=vignette, user=request.user, rated=own is not None
        ),
    }
    return render(request, "workspace/vignette_detail.html", context)
