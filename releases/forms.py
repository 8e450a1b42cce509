from django import forms

from .models import NUMBER_PATTERN


class ReleaseForm(forms.Form):
    number = forms.RegexField(
        regex=NUMBER_PATTERN,
        max_length=20,
        error_messages={"invalid": "Give the year and a sequence number, e.g. 2026.1."},
        help_text="The year and a sequence number, e.g. 2026.1. A release never changes.",
    )
    note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="What this release adds or changes, for the people who will cite it.",
    )
