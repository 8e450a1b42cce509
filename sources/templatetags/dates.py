"""Dates in templates, written by common.dates so they read the same as in tables and
charts: ``{{ assessment.period_start|period:assessment.period_precision }}``,
``{{ as_of|month }}``, ``{{ interview.conducted_on|day }}``, ``{{ entry.when|timestamp }}``."""

from django import template
from django.utils import timezone

from common import dates
from common.choices import DatePrecision

register = template.Library()


@register.filter
def period(value, precision: str = DatePrecision.MONTH) -> str:
    return dates.period_label(value, precision or DatePrecision.MONTH)


@register.filter
def month(value) -> str:
    return dates.month_label(value)


@register.filter
def day(value) -> str:
    return dates.day_label(value)


@register.filter
def timestamp(value) -> str:
    """A moment in the site's time zone: "3 April 2024, 14:05"."""
    if value is None:
        return ""
    if timezone.is_aware(value):
        value = timezone.localtime(value)
    return dates.timestamp_label(value)
