"""Filters for lists of cities, shared by the directory and anything else that lists cities."""

import django_filters
from django import forms
from django.db.models import F, Q, Subquery

from compacts.models import Program, Stage

from .models import City

NO_COMPACT = "none"
NOT_ASSESSED = "not-assessed"


def _stage_choices():
    return [(NOT_ASSESSED, "Not assessed")] + [
        (stage.key, stage.name) for stage in Stage.objects.order_by("order")
    ]


class NullsLastOrderingFilter(django_filters.OrderingFilter):
    """Sorts cities without a value (not assessed, never signed) last in either direction."""

    def get_ordering_value(self, param):
        descending = param.startswith("-")
        field = F(self.param_map[param.lstrip("-")])
        return field.desc(nulls_last=True) if descending else field.asc(nulls_last=True)


class CityFilter(django_filters.FilterSet):
    """Filters a queryset annotated by ``City.objects.with_stage_as_of``."""

    q = django_filters.CharFilter(method="filter_name", label="Name")
    state = django_filters.AllValuesFilter(field_name="state", label="State", empty_label="Any")
    program = django_filters.ChoiceFilter(
        method="filter_program",
        label="Program",
        choices=[*Program.choices, (NO_COMPACT, "No compact")],
        empty_label="Any",
    )
    cohort = django_filters.AllValuesFilter(
        field_name="compact__signing_year", label="Signed in", empty_label="Any year"
    )
    stage = django_filters.ChoiceFilter(
        method="filter_stage", label="Current stage", choices=_stage_choices, empty_label="Any"
    )
    backslid = django_filters.ChoiceFilter(
        method="filter_backslid",
        label="Slid back from peak",
        choices=[("yes", "Yes"), ("no", "No")],
        empty_label="Either",
    )
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
        empty_label="Name",
    )

    class Meta:
        model = City
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.form.fields["q"].widget = forms.TextInput(
            attrs={"type": "search", "placeholder": "e.g. Denver"}
        )

    def filter_name(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(entity_name__icontains=value))

    def filter_program(self, queryset, name, value):
        if value == NO_COMPACT:
            return queryset.filter(compact__isnull=True)
        return queryset.filter(compact__program=value)

    def filter_stage(self, queryset, name, value):
        if value == NOT_ASSESSED:
            return queryset.filter(current_stage_order__isnull=True)
        order = Subquery(Stage.objects.filter(key=value).values("order"))
        return queryset.filter(current_stage_order=order)

    def filter_backslid(self, queryset, name, value):
        return queryset.filter(backslid=(value == "yes"))
