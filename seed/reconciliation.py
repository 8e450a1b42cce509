"""Compare the recorded data with the aggregates the documents publish.

Each check returns a ``FigureCheck``: ``matches`` when the data agrees with the published
figure, ``incomplete`` when the data does not (yet) identify enough cities to confirm it
(e.g. the seven Basic cities are never named), and ``contradiction`` only when recorded
data disagrees with the figure (more cities than published, a named city recorded
otherwise). ``manage.py reconcile`` prints these and fails only on contradictions.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from cities.models import City
from compacts.models import Compact, PublishedFigure, TrajectoryDirection
from compacts.standing import EARLIEST_STAGE_ORDERS

MATCHES, INCOMPLETE, CONTRADICTION = "matches", "incomplete", "contradiction"


@dataclass(frozen=True)
class FigureCheck:
    key: str
    label: str
    published: int | None
    recorded: int | None
    outcome: str
    reason: str = ""

    @property
    def line(self) -> str:
        """One printable line: the figure, then ``matches`` or the numbers and the reason."""
        if self.outcome == MATCHES:
            return f"{self.label}: matches"
        return (
            f"{self.label}: published {self.published}, recorded {self.recorded} "
            f"[{self.outcome}] {self.reason}"
        )


def current_stages(*, as_of: datetime.date) -> dict[int, int]:
    """City id -> stage order of its latest published assessment starting on or before ``as_of``.

    Cities without such an assessment are absent ("not assessed").
    """
    assessed = City.objects.with_stage_as_of(as_of).filter(current_stage_order__isnull=False)
    return dict(assessed.values_list("pk", "current_stage_order"))


def reconcile() -> list[FigureCheck]:
    """Run every check, in the order the figures are listed in the brief and documents."""
    checks: list[Callable[[], FigureCheck]] = [
        _compact_cities,
        lambda: _compact_flag(
            "portfolio-compact-cities", "portfolio_at_signing", "portfolio Compact cities"
        ),
        lambda: _compact_flag(
            "significant-funding-cities",
            "significant_funding",
            "Compact cities with significant funding",
        ),
        *[lambda y=y: _cohort(y) for y in (2010, 2011, 2013, 2014, 2015)],
        _florida,
        lambda: _stage_count(
            "stage-earliest-count", "in the earliest stages", set(EARLIEST_STAGE_ORDERS)
        ),
        lambda: _stage_count("stage-basic-count", "at Basic", None),
        _advanced_named,
        _lost_ground,
        _significant_progress,
    ]
    return [check() for check in checks]


# ---------------------------------------------------------------------- helpers
def _figure(key: str) -> PublishedFigure | None:
    return PublishedFigure.objects.select_related("stage").filter(key=key).first()


def _missing(key: str, label: str) -> FigureCheck:
    return FigureCheck(key, label, None, None, INCOMPLETE, "published figure not recorded")


def _count_check(key: str, label: str, published: int, recorded: int, open_: int, what: str):
    """Recorded above published contradicts; below it, ``open_`` cities could still fill it."""
    if recorded == published:
        return FigureCheck(key, label, published, recorded, MATCHES)
    if recorded > published:
        reason = f"{recorded} cities recorded {what}, more than the {published} published"
        return FigureCheck(key, label, published, recorded, CONTRADICTION, reason)
    if recorded + open_ < published:
        reason = f"only {recorded} recorded {what} and {open_} unknown; cannot reach {published}"
        return FigureCheck(key, label, published, recorded, CONTRADICTION, reason)
    reason = f"{published} published; {recorded} recorded {what}; {open_} unknown"
    return FigureCheck(key, label, published, recorded, INCOMPLETE, reason)


def _names(cities: Iterable[City]) -> str:
    return ", ".join(sorted(c.name for c in cities)) or "none"


def _cities_with_finding(direction: str, sources: set[int]) -> list[City]:
    """Compact cities with a finding in ``direction`` that cites one of ``sources``."""
    # One filter() call, so both conditions apply to the same finding.
    cities = City.objects.compact_cities().filter(
        trajectory_findings__direction=direction,
        trajectory_findings__citations__source_id__in=sources,
    )
    return list(cities.distinct())


def _as_of_label(figure: PublishedFigure) -> str:
    return figure.as_of_as_written or (str(figure.as_of) if figure.as_of else "undated")


# ----------------------------------------------------------------------- checks
def _compact_cities() -> FigureCheck:
    key, label = "compact-cities", "Compact cities"
    figure = _figure(key)
    if figure is None:
        return _missing(key, label)
    label = f"{figure.value} {label}"
    recorded = City.objects.compact_cities().count()
    return _count_check(key, label, figure.value, recorded, 0, "as Compact cities")


def _compact_flag(key: str, flag: str, label: str) -> FigureCheck:
    figure = _figure(key)
    what = f"as {flag.replace('_', ' ')}"
    if figure is None:
        return _missing(key, label)
    compacts = Compact.objects.filter(city__kind=City.Kind.COMPACT_CITY)
    recorded = compacts.filter(**{flag: True}).count()
    unknown = compacts.filter(**{f"{flag}__isnull": True}).count()
    unknown += City.objects.compact_cities().filter(compact__isnull=True).count()
    label = f"{figure.value} {label}"
    return _count_check(key, label, figure.value, recorded, unknown, what)


def _cohort(year: int) -> FigureCheck:
    key = f"compact-cohort-{year}"
    figure = _figure(key)
    label = f"Compact cities signed in {year}"
    if figure is None:
        return _missing(key, label)
    compacts = Compact.objects.filter(city__kind=City.Kind.COMPACT_CITY)
    recorded = compacts.filter(signing_year=year).count()
    unknown = compacts.filter(signing_year__isnull=True).count()
    unknown += City.objects.compact_cities().filter(compact__isnull=True).count()
    label = f"{figure.value} {label}"
    return _count_check(key, label, figure.value, recorded, unknown, f"as signed in {year}")


def _florida() -> FigureCheck:
    key = "florida-compacts"
    figure = _figure(key)
    label = "Florida DOE compacts"
    if figure is None:
        return _missing(key, label)
    recorded = City.objects.filter(kind=City.Kind.FLORIDA_COMPACT).count()
    return _count_check(key, f"{figure.value} {label}", figure.value, recorded, 0, "as Florida")


def _stage_count(key: str, what: str, orders: set[int] | None) -> FigureCheck:
    figure = _figure(key)
    if figure is None:
        return _missing(key, f"Compact cities {what}")
    if orders is None:
        orders = {figure.stage.order}
    label = f"{figure.value} Compact cities {what}, {_as_of_label(figure)}"
    stages = current_stages(as_of=figure.as_of)
    compact_ids = list(City.objects.compact_cities().values_list("id", flat=True))
    recorded = sum(1 for cid in compact_ids if stages.get(cid) in orders)
    unassessed = sum(1 for cid in compact_ids if cid not in stages)
    check = _count_check(key, label, figure.value, recorded, unassessed, what)
    if check.outcome == INCOMPLETE:
        reason = (
            f"{figure.value} {what} published; {recorded} identified by name; "
            f"{unassessed} cities not assessed"
        )
        check = FigureCheck(key, label, figure.value, recorded, INCOMPLETE, reason)
    return check


def _advanced_named() -> FigureCheck:
    key = "stage-advanced-count"
    figure = _figure(key)
    if figure is None:
        return _missing(key, "Compact cities at Advanced")
    named = list(figure.named_cities.all())
    label = f"{figure.value} Compact cities at Advanced ({_names(named)}), {_as_of_label(figure)}"
    stages = current_stages(as_of=figure.as_of)
    order = figure.stage.order
    at_stage = list(
        City.objects.compact_cities().filter(id__in=[c for c, o in stages.items() if o == order])
    )
    elsewhere = [c for c in named if c.id in stages and stages[c.id] != order]
    strangers = [c for c in at_stage if c not in named] if len(named) == figure.value else []
    recorded = len(at_stage)
    if elsewhere or strangers or recorded > figure.value:
        parts = []
        if elsewhere:
            parts.append(f"named but recorded at another stage: {_names(elsewhere)}")
        if strangers:
            parts.append(f"recorded at Advanced but not named: {_names(strangers)}")
        if recorded > figure.value:
            parts.append(f"{recorded} recorded at Advanced")
        return FigureCheck(key, label, figure.value, recorded, CONTRADICTION, "; ".join(parts))
    if recorded == figure.value:
        return FigureCheck(key, label, figure.value, recorded, MATCHES)
    missing = [c for c in named if c.id not in stages]
    reason = f"not assessed: {_names(missing)}"
    return FigureCheck(key, label, figure.value, recorded, INCOMPLETE, reason)


def _lost_ground() -> FigureCheck:
    key = "lost-ground-count"
    figure = _figure(key)
    label = "Compact cities that lost ground"
    if figure is None:
        return _missing(key, label)
    label = f"{figure.value} of 23 {label} ({_as_of_label(figure)})"
    cities = City.objects.compact_cities().filter(
        trajectory_findings__direction=TrajectoryDirection.LOST_GROUND
    )
    cities = list(cities.distinct())
    total = City.objects.compact_cities().count()
    check = _count_check(
        key, label, figure.value, len(cities), total - len(cities), "with a lost-ground finding"
    )
    if check.outcome == INCOMPLETE:
        reason = (
            f"{figure.value} published; {len(cities)} identified by name ({_names(cities)}); "
            f"{total - len(cities)} Compact cities without a lost-ground finding"
        )
        check = FigureCheck(key, label, figure.value, len(cities), INCOMPLETE, reason)
    return check


def _significant_progress() -> FigureCheck:
    key = "significant-progress-count"
    figure = _figure(key)
    if figure is None:
        return _missing(key, "Compact cities with significant progress")
    named = list(figure.named_cities.all())
    label = f"{figure.value} Compact cities with significant progress ({_names(named)})"
    sources = set(figure.citations.values_list("source_id", flat=True))
    progressed = _cities_with_finding(TrajectoryDirection.PROGRESSED, sources)
    lost = _cities_with_finding(TrajectoryDirection.LOST_GROUND, sources)
    problems = []
    not_compact = [c for c in named if c.kind != City.Kind.COMPACT_CITY]
    if not_compact:
        problems.append(f"named but not Compact cities: {_names(not_compact)}")
    lost_named = [c for c in named if c in lost]
    if lost_named:
        problems.append(
            f"named but recorded as losing ground in the same source: {_names(lost_named)}"
        )
    strangers = [c for c in progressed if c not in named]
    if strangers and len(named) == figure.value:
        problems.append(f"recorded as progressing but not named: {_names(strangers)}")
    if problems:
        return FigureCheck(
            key, label, figure.value, len(progressed), CONTRADICTION, "; ".join(problems)
        )
    if len(progressed) == figure.value:
        return FigureCheck(key, label, figure.value, len(progressed), MATCHES)
    missing = [c for c in named if c not in progressed]
    reason = f"no progress finding recorded for {_names(missing)}"
    return FigureCheck(key, label, figure.value, len(progressed), INCOMPLETE, reason)
