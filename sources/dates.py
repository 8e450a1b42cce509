"""How the site writes dates: one format per precision, everywhere.

Templates (the ``dates`` template library), tables, CSV captions and chart labels all call
these functions, so a period reads the same wherever it appears:

    year     2024
    quarter  2024 Q2
    month    April 2024
    day      3 April 2024

No model is imported here, so the charts app may use it too. Precisions are the values of
``sources.models.DatePrecision``.
"""

from __future__ import annotations

import calendar
import datetime

YEAR, QUARTER, MONTH, DAY, UNKNOWN = "year", "quarter", "month", "day", "unknown"


def period_label(day: datetime.date | None, precision: str = MONTH) -> str:
    """``day`` written at ``precision``; "" for no date or an unknown precision."""
    if day is None or precision == UNKNOWN:
        return ""
    if precision == YEAR:
        return str(day.year)
    if precision == QUARTER:
        return f"{day.year} Q{(day.month - 1) // 3 + 1}"
    if precision == DAY:
        return f"{day.day} {day:%B %Y}"
    return f"{day:%B %Y}"


def month_label(day: datetime.date | None) -> str:
    """A month, as the as-of date is shown: "November 2026"."""
    return period_label(day, MONTH)


def day_label(day: datetime.date | None) -> str:
    return period_label(day, DAY)


def timestamp_label(moment: datetime.datetime | None) -> str:
    """A recorded moment (history, ratings): "3 April 2024, 14:05"."""
    if moment is None:
        return ""
    return f"{day_label(moment.date())}, {moment:%H:%M}"


def period_end(start: datetime.date, precision: str) -> datetime.date:
    """The first day after the period that starts on ``start``."""
    months = {YEAR: 12, QUARTER: 3, MONTH: 1}.get(precision)
    if months is None:
        return start + datetime.timedelta(days=1)
    index = start.year * 12 + start.month - 1 + months
    return datetime.date(index // 12, index % 12 + 1, 1)


def month_end(day: datetime.date) -> datetime.date:
    """The last day of ``day``'s month (December 9999 too: no step into a year 10000)."""
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


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
