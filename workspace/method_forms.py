"""Forms of the research-method pages: calibration vignettes and coverage assignments.
They check shape; ``calibration`` and ``coverage`` check the rules."""

from django import forms

from cities.models import City
from compacts.models import Stage

from . import calibration


def _stages() -> forms.ModelChoiceField:
    # No stage until one is chosen: a forgotten choice must not quietly rate baseline.
    return forms.ModelChoiceField(
        queryset=Stage.objects.order_by("order"),
        empty_label="Choose a stage",
        error_messages={"required": "Choose a stage."},
    )


class VignetteForm(forms.Form):
    title = forms.CharField(max_length=200)
    situation = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text="A short described situation, as an interview might reveal it. Name no "
        "real city: this is training material.",
    )
    intended_stage = _stages()
    reasoning = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Why the rubric gives this stage; researchers read it after they rate.",
    )


class VignetteRatingForm(forms.Form):
    stage = _stages()


class AssignmentForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.order_by("name"))
    period = forms.ChoiceField(help_text="The periods assessments already use.")
    researcher = forms.ModelChoiceField(queryset=calibration.researchers())

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [(period.key, period.label) for period in periods]
        self._periods = {period.key: period for period in periods}

    def clean_period(self):
        return self._periods[self.cleaned_data["period"]]
