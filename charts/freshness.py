"""How old the data behind a chart is, relative to the as-of month.

Time is kept at month granularity: a chart changes when the data or the month changes,
never daily, so pages stay cacheable and never show a day after today.
"""

from __future__ import annotations

import datetime

from django.conf import settings

from common import dates

DEFAULT_STALE_AFTER_YEARS = 3


def stale_after_years() -> int:
    """The threshold (settings.STALE_AFTER_YEARS, 3 by default)."""
    return getattr(settings, "STALE_AFTER_YEARS", DEFAULT_STALE_AFTER_YEARS)


def age_months(period_start: datetime.date, as_of: datetime.date) -> int:
    return dates.months_between(period_start, as_of)


def is_stale(period_start: datetime.date | None, as_of: datetime.date, years: int) -> bool:
    """True when the assessment is more than ``years`` older than the as-of month."""
    return period_start is not None and age_months(period_start, as_of) > 12 * years


def horizon(as_of: datetime.date) -> datetime.date:
    """Where a chart's time runs to: the first day of the as-of month (an as-of month
    means the whole month, but a chart never draws past the day it was made in that
    month), or the as-of day itself when a day was asked for."""
    return as_of.replace(day=1) if as_of == dates.month_end(as_of) else as_of


def freshness_note(
    newest: datetime.date | None, precision: str, as_of: datetime.date, years: int
) -> str:
    """ "Newest published assessment: January 2017, 9 years 10 months before November 2026
    (stale: older than 3 years)." """
    as_of_label = dates.month_label(as_of)
    if newest is None:
        return f"No published assessment on or before {as_of_label}."
    age = age_months(newest, as_of)
    note = (
        f"Newest published assessment: {dates.period_label(newest, precision)},"
        f" {dates.age_label(age)} before {as_of_label}"
    )
    if is_stale(newest, as_of, years):
        note += f" (older than {years} year{'s' if years != 1 else ''}: stale)"
    return note + "."


def stale_summary(rows, as_of: datetime.date, years: int, *, drawn: str = "these bars") -> str:
    """What a reader must know before reading Figure 6's bars (or what else ``drawn``
    names), in a sentence; "" when no assessed city is stale. ``rows``: CityStage rows."""
    assessed = [row for row in rows if row.assessed]
    stale = [row for row in assessed if is_stale(row.current_period, as_of, years)]
    if not stale:
        return ""
    span = f"{years} year{'s' if years != 1 else ''}"
    month = dates.month_label(as_of)
    newest = max(assessed, key=lambda row: row.current_period)
    if len(stale) == len(assessed):
        every = "The only assessed city is" if len(assessed) == 1 else "Every assessed city is"
        return (
            f"{every} stale: no published assessment from the {span} before {month}; the"
            f" newest is for {newest.period_label}. Read {drawn} as where cities stood"
            " then, not where they stand today."
        )
    verb = "is" if len(stale) == 1 else "are"
    return (
        f"{len(stale)} of {len(assessed)} assessed cities {verb} stale (marked with an"
        f" hourglass): the newest published assessment is more than {span} older than"
        f" {month}."
    )


def dateline(
    newest: datetime.date | None, precision: str, as_of: datetime.date, years: int
) -> dict[str, str]:
    """What an embedded chart says of its date in words, since it travels without the
    page around it: ``as_of`` ("Chart as of December 2026."), ``age`` ("Data as of January
    2017 — 9 years old.") and ``stale`` (the warning, after "Old data."; "" when the data
    is fresh)."""
    as_of_label = dates.month_label(as_of)
    lines = {"as_of": f"Chart as of {as_of_label}.", "age": "", "stale": ""}
    if newest is None:
        lines["age"] = f"No published assessment on or before {as_of_label}."
        return lines
    age = age_months(newest, as_of)
    whole = age - age % 12 if age >= 12 else age  # "9 years old", not "9 years 11 months"
    lines["age"] = (
        f"Data as of {dates.period_label(newest, precision)}"
        f" \N{EM DASH} {dates.age_label(whole)} old."
    )
    if is_stale(newest, as_of, years):
        span = f"{years} year{'s' if years != 1 else ''}"
        lines["stale"] = (
            f"The newest published assessment is more than {span} older than"
            f" {as_of_label}. Read this chart as where cities stood then, not where they"
            " stand today."
        )
    return lines
