"""How the site writes dates: one format per precision, everywhere.

Templates (the ``dates`` template library), tables, CSV captions and chart labels all call
these functions, so a period reads the same wherever it appears:

    year     2024
    quarter  2024 Q2
    month    April 2024
    day      3 April 2024

Also the one month end and the one default as-of month. Precisions are
``common.choices.DatePrecision``.
"""

from __future__ import annotations

import calendar
import datetime

from django.utils import timezone

from common.choices import DatePrecision


def period_label(day: datetime.date | None, precision: str = DatePrecision.MONTH) -> str:
    """``day`` written at ``precision``; "" for no date or an unknown precision."""
    if day is None or precision == DatePrecision.UNKNOWN:
        return ""
    if precision == DatePrecision.YEAR:
        return str(day.year)
    if precision == DatePrecision.QUARTER:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    if precision == DatePrecision.DAY:
        return f"{day.day} {day:%B %Y}"
    return f"{day:%B %Y}"


def month_label(day: datetime.date | None) -> str:
    """A month, as the as-of date is shown: "November 2026"."""
    return period_label(day, DatePrecision.MONTH)


def day_label(day: datetime.date | None) -> str:
    return period_label(day, DatePrecision.DAY)


def timestamp_label(moment: datetime.datetime | None) -> str:
    """A recorded moment (history, ratings): "3 April 2024, 14:05"."""
    if moment is None:
        return ""
    return f"{day_label(moment.date())}, {moment:%H:%M}"


def period_end(start: datetime.date, precision: str) -> datetime.date:
    """The first day after the period that starts on ``start``."""
    months = {DatePrecision.YEAR: 12, DatePrecision.QUARTER: 3, DatePrecision.MONTH: 1}.get(
        precision
    )
    if months is None:
        return start + datetime.timedelta(days=1)
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month (December 9999 too: no step into a year 10000)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def finding_period_label(
    as_written: str, start: datetime.date | None, precision: str | None
) -> str:
    """The period a trajectory finding describes, as a reader sees it everywhere (timelines,
    compare, alerts): the document's own words, else the period in the site's format, else
    "undated"."""
    return as_written or period_label(start, precision or DatePrecision.MONTH) or "undated"


def is_month_end(day: datetime.date) -> bool:
    return day == month_end(day)


def current_month_end() -> datetime.date:
    """The as-of date every page, chart, CSV and alert uses when none is chosen: the whole of
    this month, in the site's time zone."""
    return month_end(timezone.localdate())


def months_between(earlier: datetime.date, later: datetime.date) -> int:
    """Whole calendar months from ``earlier``'s month to ``later``'s (never negative)."""
    return max(0, (later.year - earlier.year) * 12 + later.month - earlier.month)


def age_label(months: int) -> str:
    """A span of months in words: "9 years 10 months", "1 year", "5 months", "under a month"."""
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} year{'s' if years != 1 else ''}")
    if rest:
        parts.append(f"{rest} month{'s' if rest != 1 else ''}")
    return " ".join(parts) or "under a month"
