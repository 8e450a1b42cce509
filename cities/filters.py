"""Filters over cities, shared by the directory and the dashboard.

``CityFilter`` filters a queryset annotated by ``City.objects.with_stage_as_of`` (current
stage, how sure a loss is). Its choices are read once per data version (``form_choices``),
so a page that uses it makes a constant number of queries however many cities there are,
and none for its choices while the data stays the same.
"""

import django_filters
from django import forms
from django.db.models import F, Q, QuerySet

from caching.parts import Parts
from common.choices import LossStatus
from common.widgets import QuickSelect
from compacts.models import Program, Stage

from .models import City

NOT_ASSESSED = "not-assessed"
NO_COMPACT = "none"
YES_NO_UNKNOWN = [("yes", "Yes"), ("no", "No"), ("unknown", "Unknown")]


def _yes_no_unknown(field_name: str):
    def method(queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "unknown":
            return queryset.filter(**{f"{field_name}__isnull": True})
        return queryset.filter(**{field_name: value == "yes"})

    return method


def form_choices(name: str, read):
    """What a form offers to choose from (``read()``), read once per data version and kept
    with the pages' parts (caching.parts): the same for every visitor until the data
    changes, so no query per request."""
    return Parts("form_choices", "").get(name, read)


def _stages() -> list[Stage]:
    return list(Stage.objects.order_by("order"))


def _states() -> list[str]:
    return list(City.objects.order_by("state").values_list("state", flat=True).distinct())


def _signing_years() -> list[int]:
    return list(
        City.objects.filter(compact__signing_year__isnull=False)
        .order_by("compact__signing_year")
        .values_list("compact__signing_year", flat=True)
        .distinct()
    )


class CityFilter(django_filters.FilterSet):
    state = django_filters.ChoiceFilter(label="State", empty_label="All states")
    program = django_filters.ChoiceFilter(
        field_name="compact__program",
        label="Program",
        choices=Program.choices,
        empty_label="All programs",
        null_label="No compact",
        null_value=NO_COMPACT,
    )
    signing_year = django_filters.ChoiceFilter(
        field_name="compact__signing_year", label="Signing year (cohort)", empty_label="All years"
    )
    portfolio = django_filters.ChoiceFilter(
        label="Portfolio city at signing",
        choices=YES_NO_UNKNOWN,
        empty_label="Any",
        method=_yes_no_unknown("compact__portfolio_at_signing"),
    )
    significant_funding = django_filters.ChoiceFilter(
        label="Significant Gates funding",
        choices=YES_NO_UNKNOWN,
        empty_label="Any",
        method=_yes_no_unknown("compact__significant_funding"),
    )
    stage = django_filters.ChoiceFilter(
        label="Current stage", empty_label="Any stage", method="_filter_stage"
    )
    # How sure a loss is: "yes" and "no" mean exactly those statuses, so a city without a
    # stage, or one a document says lost ground, is never listed under "no".
    backslid = django_filters.ChoiceFilter(
        field_name="loss_status",
        label="Backslid (below its peak)",
        choices=LossStatus.choices,
        empty_label="Any",
    )

    class Meta:
        model = City
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, **kwargs):
        super().__init__(data, queryset=queryset, **kwargs)
        for one in self.filters.values():
            if type(one) is django_filters.ChoiceFilter:  # not the sort's CSV ordering field
                one.extra.setdefault("widget", QuickSelect)
        self.stages: list[Stage] = form_choices("stages", _stages)
        states = form_choices("states", _states)
        years = form_choices("signing_years", _signing_years)
        self.filters["state"].extra["choices"] = [(s, s) for s in states]
        self.filters["signing_year"].extra["choices"] = [(str(y), str(y)) for y in years]
        self.filters["stage"].extra["choices"] = [
            *((s.key, s.name) for s in self.stages),
            (NOT_ASSESSED, "Not assessed"),
        ]

    def _filter_stage(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == NOT_ASSESSED:
            return queryset.filter(current_stage_order__isnull=True)
        order = next(s.order for s in self.stages if s.key == value)
        return queryset.filter(current_stage_order=order)


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorts cities without a value (not assessed, never signed) last in either direction,
    and cities that tie by name, so a page never reshuffles."""

    def filter(self, qs, value):
        if value in ([], (), {}, "", None):
            return qs
        return qs.order_by(*(self.get_ordering_value(param) for param in value), "name")

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class CityDirectoryFilter(CityFilter):
    """The directory: the city filters plus a name search and sortable columns."""

    q = django_filters.CharFilter(method="_filter_name", label="Name")
    sort = NullsLastOrderingFilter(
        label="Sort by",
        fields=[
            ("name", "name"),
            ("state", "state"),
            ("compact__signing_year", "signed"),
            ("current_stage_order", "stage"),
        ],
        field_labels={
            "name": "Name",
            "state": "State",
            "compact__signing_year": "Signing year",
            "current_stage_order": "Stage",
        },
        # No empty choice: it would read "Name" beside the "Name" choice (the same order).
        empty_label=None,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # The search box first, then the shared filters, then the sort.
        self.form.order_fields(["q"])
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. Denver"}
        )

    def _filter_name(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(Q(name__icontains=value) | Q(entity_name__icontains=value))
