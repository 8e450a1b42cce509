"""Workspace forms. They check shape; services check the rules."""

import datetime

from django import forms
from django.conf import settings

from cities.models import City
from common import dates
from common.choices import Confidence
from compacts.models import PERIOD_NOT_BEGUN, SIGNING_YEAR_MIN, Stage
from sources.models import Source
from sources.text import (
    MAX_UPLOAD_BYTES,
    TOO_LARGE,
    TextUnavailable,
    extract_text,
    is_pdf,
    short_filename,
)

from . import evidence as substance
from . import selectors, services
from .csv_rows import parse_period
from .models import INTERVIEW_IN_FUTURE, RATIONALE_MAX_CHARS, Interview, Sector

VERSION_HELP = "The version you started from; a newer save by someone else is not overwritten."


def _version_field() -> forms.IntegerField:
    return forms.IntegerField(widget=forms.HiddenInput, required=False, help_text=VERSION_HELP)


class InterviewForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.order_by("name"))
    conducted_on = forms.DateField(
        label="Date of interview", widget=forms.DateInput(attrs={"type": "date"})
    )

    def clean_conducted_on(self):
        day = self.cleaned_data["conducted_on"]
        if day > datetime.date.today():
            raise forms.ValidationError(INTERVIEW_IN_FUTURE)
        return day

    interviewee_role = forms.CharField(
        max_length=200, help_text="The role, not the name: e.g. “charter network CEO”."
    )
    sector = forms.ChoiceField(choices=Sector.choices)
    notes = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        help_text="Confidential: seen only by researchers.",
    )
    version = _version_field()

    @classmethod
    def for_interview(cls, interview: Interview, data=None):
        initial = {
            "city": interview.city_id,
            "conducted_on": interview.conducted_on,
            "interviewee_role": interview.interviewee_role,
            "sector": interview.sector,
            "notes": interview.notes,
            "version": interview.version,
        }
        return cls(data=data, initial=initial)


class AssessmentForm(forms.Form):
    city = forms.ModelChoiceField(queryset=City.objects.order_by("name"))
    period = forms.CharField(
        max_length=10, help_text="A year (2016), a quarter (2016-Q3) or a month (2016-12)."
    )

    def clean_period(self):
        parsed = parse_period(self.cleaned_data["period"])
        if parsed is None:
            raise forms.ValidationError(
                f"Write the period as 2016, 2016-Q3 or 2016-12, a year from {SIGNING_YEAR_MIN} on."
            )
        if parsed[0] > dates.current_month_end().replace(day=1):
            raise forms.ValidationError(PERIOD_NOT_BEGUN)
        return parsed


class RatingForm(forms.Form):
    # No stage is chosen until the researcher chooses one: a forgotten choice must not
    # quietly rate baseline.
    stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("order"),
        empty_label="Choose a stage",
        error_messages={"required": "Choose the stage this evidence supports."},
    )
    confidence = forms.ChoiceField(choices=Confidence.choices, initial=Confidence.MEDIUM)
    rationale = forms.CharField(
        max_length=RATIONALE_MAX_CHARS,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Why this stage: what you heard or read, and what would move it.",
    )
    version = _version_field()


class SourceChoiceField(forms.ModelChoiceField):
    """Sources by title, saying when an uploaded file's text is being read or could not
    be (its quotes are then unverified, like those of a source without text)."""

    def label_from_instance(self, obj):
        return f"{obj.title} ({obj.reading_note})" if obj.reading_note else obj.title


class EvidenceForm(forms.Form):
    interview = forms.ModelChoiceField(queryset=Interview.objects.none(), required=False)
    source = SourceChoiceField(queryset=Source.objects.none(), required=False)
    quote = forms.CharField(widget=forms.Textarea(attrs={"rows": 2}), required=False)
    location = forms.CharField(max_length=300, required=False, help_text=substance.LOCATION_HELP)

    def __init__(self, *args, city=None, **kwargs):
        super().__init__(*args, **kwargs)
        interviews = selectors.interviews_for_city(city=city) if city else Interview.objects.none()
        self.fields["interview"].queryset = interviews
        self.fields["interview"].label_from_instance = lambda i: (
            f"{i.conducted_on}: {i.interviewee_role} ({i.get_sector_display()})"
        )
        self.fields["source"].queryset = selectors.sources()
        # Read when the form is built, so the help follows the setting.
        self.fields["quote"].help_text = substance.QUOTE_HELP.format(
            minimum=settings.EVIDENCE_MIN_WORDS
        )

    def clean(self):
        data = super().clean()
        interview, source = data.get("interview"), data.get("source")
        if interview and source:
            raise forms.ValidationError("Choose an interview or a source, not both.")
        if source and not (data.get("quote") or "").strip():
            self.add_error("quote", "Evidence from a source needs a short quote.")
        elif source:
            try:  # the service checks it again when saving; here the error sits by the quote
                services.quote_check(
                    source=source, quote=data["quote"], location=data.get("location") or ""
                )
            except forms.ValidationError as error:
                self.add_error("quote", error)
        if not interview and not source and (data.get("quote") or data.get("location")):
            raise forms.ValidationError("Choose the interview or source this quote comes from.")
        return data


# A rating cites a handful of interviews and passages. The cap also bounds the work of a
# request: without it a posted TOTAL_FORMS of 1,000 builds and renders 1,000 rows.
MAX_EVIDENCE_ROWS = 25


class BaseEvidenceFormSet(forms.BaseFormSet):
    default_error_messages = {
        "too_many_forms": "A rating cites at most %(num)d pieces of evidence.",
    }


def with_one_more_evidence_row(data):
    """The posted form with one evidence row more (at most ``MAX_EVIDENCE_ROWS``): the
    "Add an evidence row" button without JavaScript."""
    data = data.copy()
    total = data.get("evidence-TOTAL_FORMS", "0")
    rows = int(total) + 1 if total.isdigit() else 1
    data["evidence-TOTAL_FORMS"] = str(min(rows, MAX_EVIDENCE_ROWS))
    return data


EvidenceFormSet = forms.formset_factory(
    EvidenceForm,
    formset=BaseEvidenceFormSet,
    extra=1,
    can_delete=True,
    max_num=MAX_EVIDENCE_ROWS,
    absolute_max=MAX_EVIDENCE_ROWS,
    validate_max=True,
)


class ReconcileForm(forms.Form):
    consensus_stage = forms.ModelChoiceField(
        queryset=Stage.objects.order_by("order"), required=False, empty_label="(not decided)"
    )
    consensus_note = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4}), required=False, label="Note"
    )
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Reason for changing the published stage",
        help_text="Needed only when the assessment is published; shown publicly.",
    )
    version = _version_field()

    def __init__(self, *args, published: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if not published:
            del self.fields["reason"]


class PublishForm(forms.Form):
    prefix = "publish"  # shares a page with the consensus form, which also has a reason
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (public)",
        help_text="Shown in the city's public revision log.",
    )
    override_reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        label="Override reason (workspace only)",
        help_text="Only if evidence coverage is incomplete: why publish anyway.",
    )
    version = _version_field()


class UnpublishForm(forms.Form):
    prefix = "unpublish"
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        label="Reason (public)",
        help_text="Shown in the city's public revision log.",
    )
    version = _version_field()


class ImportForm(forms.Form):
    file = forms.FileField(label="CSV file", help_text="UTF-8 CSV; see the column list below.")


class SourceForm(forms.Form):
    """A new source and its text: a text file or a PDF (at most 10 MB), or pasted text."""

    title = forms.CharField(max_length=400)
    kind = forms.ChoiceField(choices=Source.Kind.choices, initial=Source.Kind.REPORT)
    authors = forms.CharField(max_length=400, required=False)
    url = forms.URLField(
        max_length=200, required=False, label="Address (URL)", assume_scheme="https"
    )
    file = forms.FileField(
        required=False,
        label="Text file or PDF",
        help_text="At most 10 MB. A PDF needs a text layer (a scan has none: paste instead);"
        " its text is read in the background, usually within a minute.",
    )
    text = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 8}),
        required=False,
        label="Or paste the text",
        help_text="Without text, quotes from this source are saved as unverified until a lead"
        " checks them.",
    )

    def clean(self):
        data = super().clean()
        upload = data.get("file")
        if upload and (data.get("text") or "").strip():
            raise forms.ValidationError("Upload a file or paste the text, not both.")
        if upload:
            if upload.size > MAX_UPLOAD_BYTES:
                self.add_error("file", TOO_LARGE)
                return data
            content = upload.read()
            if is_pdf(name=upload.name, data=content):
                # Read by a worker, in a child process with limits (sources.reading).
                data["file_name"], data["file_data"] = upload.name, content
                return data
            try:  # a text file is only decoded: quick whatever its size
                data["text"] = extract_text(name=upload.name, data=content)
            except TextUnavailable as error:
                self.add_error("file", str(error))
                return data
            data["origin"] = f"uploaded file {short_filename(upload.name)}"
        else:
            data["origin"] = "pasted text"
        return data
