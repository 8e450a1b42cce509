"""The dashboard's filters: one django-filter FilterSet that every chart reads.

All state lives in the GET query string, so any view of the dashboard is a permalink.
``as_of`` is not a filter of its own: it fixes the date at which current stage, peak and
backsliding are computed (in the database, by ``City.objects.with_stage_as_of``), and the
stage and backslid filters then apply to those annotations.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Case, Exists, F, OuterRef, QuerySet, Value, When
from django.http import QueryDict

from cities.filters import CityFilter, form_choices
from cities.models import City
from common import dates
from common.choices import LossStatus
from common.dates import month_end
from common.labels import city_label
from compacts.models import Initiative, InitiativeType
from compacts.stored import with_stored_standing

SORTS = [
    ("stage", "Current stage, then peak"),
    ("loss", "Loss from the peak, surest first"),
    ("name", "Alphabetical"),
    ("signing_year", "Signing year"),
]
# How sure a loss is, surest first: the order of the vocabulary itself (yes, possible,
# reported, no, unknown).
LOSS_RANK = Case(
    *(When(loss_status=status, then=Value(rank)) for rank, status in enumerate(LossStatus)),
    default=Value(len(LossStatus)),
)


class MonthField(forms.DateField):
    """A month (``2016-12``) or a day (``2016-12-15``); a month means its last day."""

    widget = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")

    def to_python(self, value):
        if isinstance(value, str) and len(value.strip()) == 7:
            try:
                year, month = (int(part) for part in value.strip().split("-"))
                return month_end(datetime.date(year, month, 1))
            except ValueError:
                raise forms.ValidationError("Enter a month as YYYY-MM.", code="invalid") from None
        return super().to_python(value)

    def validate(self, value):
        super().validate(value)
        # The record holds nothing after today: a later month would only restate this one
        # under a date nobody has seen yet.
        if value and value > dates.current_month_end():
            raise forms.ValidationError(
                "Choose this month or an earlier one: there is no record of later months.",
                code="future",
            )


class MonthFilter(django_filters.Filter):
    field_class = MonthField


def with_default_month(data):
    """A copy of the query with ``as_of`` set to this month when the URL names none, so the
    page shows the date in use."""
    data = data.copy() if data is not None else None
    if data is not None and not data.get("as_of"):
        data["as_of"] = dates.current_month_end().strftime("%Y-%m")
    return data


# The filters that choose the date and the order, never which cities.
FILTERS_OF_NO_CITY = frozenset({"as_of", "sort"})


class DashboardFilter(CityFilter):
    """The city filters plus the as-of month, initiative type and sort; ``qs`` is annotated
    with the stage as of ``as_of`` and sorted."""

    as_of = MonthFilter(label="As of (month)", method="_keep")
    initiative_type = django_filters.ChoiceFilter(
        label="Initiative type", empty_label="Any type", method="_filter_initiative_type"
    )
    sort = django_filters.ChoiceFilter(
        label="Sort cities by", choices=SORTS, empty_label=None, method="_keep"
    )

    def __init__(self, data=None, queryset=None, **kwargs):
        if queryset is None:
            queryset = City.objects.all()
        super().__init__(with_default_month(data), queryset=queryset, **kwargs)
        # Read once per data version and shared with the charts (cities.filters.form_choices).
        self.initiative_types: list[InitiativeType] = form_choices(
            "initiative_types", lambda: list(InitiativeType.objects.all())
        )
        self.filters["initiative_type"].extra["choices"] = [
            (t.key, t.label) for t in self.initiative_types
        ]
        # Built last, once every choice is set. The date first: it changes every chart.
        self.form.order_fields(["as_of"])

    # The form's values once validated; invalid fields fall back to their defaults.

    def _value(self, name: str):
        self.errors  # noqa: B018 - validates the form so cleaned_data exists
        return self.form.cleaned_data.get(name)

    @property
    def every_city(self) -> bool:
        """Whether no filter narrows the cities (the dashboard as it first opens): a read of
        the chosen cities may then ask for every city rather than list thousands of ids.
        The filters read only valid values, as this does."""
        return not any(
            self._value(name) not in (None, "", [])
            for name in self.filters
            if name not in FILTERS_OF_NO_CITY
        )

    @property
    def query_key(self) -> tuple:
        """Everything the SQL of ``qs`` depends on besides the code: the date, each filter's
        value as the filters read it (valid values only), and the orders the stage filter
        gives the stages' keys. A kept SQL of ``qs`` is keyed by it (common.sql)."""
        return (
            self.as_of_date,
            tuple((name, repr(self._value(name))) for name in sorted(self.filters)),
            tuple((stage.key, stage.order) for stage in self.stages),
        )

    @property
    def as_of_date(self) -> datetime.date:
        return self._value("as_of") or dates.current_month_end()

    @property
    def sort_key(self) -> str:
        return self._value("sort") or "stage"

    @property
    def initiative_type_key(self) -> str:
        return self._value("initiative_type") or ""

    def filter_queryset(self, queryset: QuerySet) -> QuerySet:
        # The standings from the stored spans: one join, not look-ups per city.
        queryset = with_stored_standing(queryset, self.as_of_date)
        queryset = super().filter_queryset(queryset)
        return queryset.order_by(*self._ordering())

    def _ordering(self):
        by_stage = [
            F("current_stage_order").desc(nulls_last=True),
            F("peak_stage_order").desc(nulls_last=True),
        ]
        if self.sort_key == "name":
            return ["name", "state"]
        if self.sort_key == "signing_year":
            return [F("compact__signing_year").asc(nulls_last=True), *by_stage, "name"]
        if self.sort_key == "loss":
            return [LOSS_RANK, *by_stage, "name"]
        return [*by_stage, "name"]

    def _keep(self, queryset: QuerySet, name: str, value) -> QuerySet:
        return queryset

    def _filter_initiative_type(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        has_type = Initiative.objects.filter(city=OuterRef("pk"), type__key=value)
        return queryset.filter(Exists(has_type))


class AsOfForm(forms.Form):
    """Only the as-of month (the cohort view)."""

    as_of = MonthField(required=False, label="As of (month)")

    def __init__(self, data=None, **kwargs):
        super().__init__(with_default_month(data), **kwargs)

    def as_of_date(self) -> datetime.date:
        self.is_valid()
        return self.cleaned_data.get("as_of") or dates.current_month_end()


def _city_choices() -> list[tuple[str, str]]:
    return [
        (slug, city_label(name, state))
        for slug, name, state in City.objects.order_by("name").values_list("slug", "name", "state")
    ]


class TimelineForm(AsOfForm):
    """The stand-alone timeline page: which cities to overlay, as of which month."""

    city = forms.MultipleChoiceField(required=False, label="Cities to compare")

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        # (slug, "Name, ST") pairs: one query; the template renders the options in Python.
        self.city_choices = form_choices("timeline_cities", _city_choices)
        self.fields["city"].choices = self.city_choices

    def selection(self) -> dict:
        """Keyword arguments for ``selectors.city_timeline``; invalid input falls back."""
        self.is_valid()
        chosen = set(self.cleaned_data.get("city") or [])
        slugs = [slug for slug in self.data.getlist("city") if slug in chosen]
        return {"slugs": slugs, "as_of": self.as_of_date()}


# The query parameters each public page reads (and nothing else: see caching.decorators).
FIGURE6_PAGE_PARAM = "cities_page"
SNAPSHOT_QUERY = tuple(DashboardFilter.base_filters)
DASHBOARD_QUERY = (*SNAPSHOT_QUERY, "city", FIGURE6_PAGE_PARAM)
TIMELINE_QUERY = tuple(TimelineForm.base_fields)

COMPARE_MAX_CITIES = 6
COMPARE_MAX_WORD = "six"


class CompareForm(TimelineForm):
    """The funders' comparison: up to COMPARE_MAX_CITIES cities, as of a month.

    Nothing is dropped silently: cities beyond the limit and unknown slugs are kept out of
    the comparison and named in ``notices``, which the page shows.
    """

    def __init__(self, data=None, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["city"].label = f"Cities to compare (up to {COMPARE_MAX_WORD})"
        self.notices: list[str] = []

    def selection(self) -> dict:
        self.is_valid()
        labels = dict(self.city_choices)
        asked = list(dict.fromkeys(self.data.getlist("city")))  # in order, once each
        unknown = [slug for slug in asked if slug not in labels]
        known = [slug for slug in asked if slug in labels]
        self.notices = []
        if len(known) > COMPARE_MAX_CITIES:
            left_out = ", ".join(labels[slug] for slug in known[COMPARE_MAX_CITIES:])
            self.notices.append(
                f"You chose {len(known)} cities; up to {COMPARE_MAX_WORD} can be compared at"
                f" once, so the first {COMPARE_MAX_WORD} are shown. Left out: {left_out}."
            )
        if unknown:
            missing = ", ".join(f"“{slug}”" for slug in unknown)
            self.notices.append(f"No city matches {missing}; left out.")
        return {"slugs": known[:COMPARE_MAX_CITIES], "as_of": self.as_of_date()}


def permalink_query(params: QueryDict, form: forms.Form) -> QueryDict:
    """The query a permalink, CSV link or embed code carries: ``params`` without empty
    values and without any value ``form`` refused (a future or malformed ``as_of`` never
    travels on: the page shows this month instead, and so does the link)."""
    refused = set(form.errors)
    query = QueryDict(mutable=True)
    for key, values in params.lists():
        kept = [value for value in values if value.strip()]
        if kept and key not in refused:
            query.setlist(key, kept)
    return query


# The query parameters compare and cohorts read (see caching.decorators.shared_page).
COMPARE_QUERY = tuple(CompareForm.base_fields)
COHORTS_QUERY = tuple(AsOfForm.base_fields)
