"""``QuickSelect`` writes what Django's own Select templates write."""

import pytest
from django import forms
from django.utils.safestring import mark_safe

from common.widgets import QuickSelect

CHOICES = [
    ("", "Any stage"),
    ("basic", "Basic"),
    (2013, "2013"),
    ("<b>&\"'", "Tom & Jerry's <i>"),
    ("safe", mark_safe("<em>kept as written</em>")),
]
GROUPED = [("", "All"), ("West", [("co", "CO"), ("wa", "WA")]), ("East", [("ma", "MA")])]


@pytest.mark.parametrize(
    ("choices", "value", "attrs"),
    [
        (CHOICES, None, None),
        (CHOICES, "basic", {"id": "id_stage"}),
        (CHOICES, 2013, {"id": "x", "required": True, "disabled": False, "data-n": 3}),
        (CHOICES, "<b>&\"'", {"aria-label": 'Say "which"', "title": mark_safe("<b>x</b>")}),
        (GROUPED, "wa", {"class": "filter"}),
        ([], "", None),
    ],
)
def test_a_quick_select_writes_the_markup_djangos_select_writes(choices, value, attrs):
    ours = QuickSelect(choices=choices).render("stage", value, attrs)
    djangos = forms.Select(choices=choices).render("stage", value, attrs)

    assert ours == djangos


def test_a_form_field_with_a_quick_select_renders_as_with_djangos():
    class Ours(forms.Form):
        stage = forms.ChoiceField(choices=CHOICES, widget=QuickSelect, required=False)

    class Djangos(forms.Form):
        stage = forms.ChoiceField(choices=CHOICES, required=False)

    assert str(Ours({"stage": "basic"})["stage"]) == str(Djangos({"stage": "basic"})["stage"])
