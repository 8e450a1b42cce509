"""Compare the recorded data with every figure the documents publish.

Each ``PublishedFigure`` says in its fixture how it compares (``comparison``):

- *comparable*: the data records the same quantity (``compares`` names it: a count of
  cities by kind, cohort, flag or stage; an amount; an initiative's figure; the cities an
  event names). The result is ``matches`` or ``contradiction``; ``incomplete`` only when
  the values it needs are unknown (a blank flag, a city not assessed).
- *partial*: the text gives a count but not which cities. The result is ``incomplete``,
  saying what is missing, unless the cities the data names already exceed the figure
  (``contradiction``).
- *context*: the data has no counterpart (a district's test scores). Listed with the reason.

Only figures a document prints are *published figures*. A figure of kind ``derived`` (our
own arithmetic on published ones, e.g. 23 - 11 - 7 - 2 = 3 cities "likely Intermediate") is
checked the same way but listed apart, and never counts as published.

A figure whose counterpart row is not in the database (an initiative or event it names),
or a fixture figure the database lacks, is ``missing``: the database is empty or only
partly seeded, and reconcile fails.

A figure given in words ("nearly half") is compared as the range its fixture infers
(``range_low``..``range_high``). ``manage.py reconcile`` prints every figure, then the known
inconsistencies between the documents with the reading the data follows, and fails only on
a contradiction.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import yaml

from cities.models import City, ContextFactor, Event
from compacts.models import (
    Compact,
    Discrepancy,
    FigureComparison,
    FigureKind,
    InitiativeFigure,
    PublishedFigure,
    Stage,
    TrajectoryFinding,
)
from compacts.standing import EARLIEST_STAGE_ORDERS

from .fidelity import numbers_in

MATCHES, INCOMPLETE, CONTRADICTION, CONTEXT = "matches", "incomplete", "contradiction", "context"
MISSING = "missing"
FAILING = (CONTRADICTION, MISSING)


@dataclass(frozen=True)
class FigureCheck:
    key: str
    kind: str
    label: str
    published: object
    recorded: object
    outcome: str
    reason: str = ""

    @property
    def line(self) -> str:
        """One printable line: the figure, its kind, the result and why."""
        head = f"[{self.kind}] {self.label}: {self.outcome}"
        if self.outcome == MATCHES:
            return head + (f" ({self.reason})" if self.reason else "")
        if self.outcome == CONTEXT:
            return f"{head}: {self.reason}"
        return f"{head}: published {self.published}, recorded {self.recorded}; {self.reason}"


def current_stages(*, as_of: datetime.date) -> dict[int, int]:
    """City id -> stage order of its latest published assessment starting on or before ``as_of``.

    Cities without such an assessment are absent ("not assessed").
    """
    assessed = City.objects.with_stage_as_of(as_of).filter(current_stage_order__isnull=False)
    return dict(assessed.values_list("pk", "current_stage_order"))


def reconcile(*, kind: str = FigureKind.DOCUMENT) -> list[FigureCheck]:
    """Every figure of ``kind`` (published by default; ``derived`` for our own), checked in
    key order."""
    figures = (
        PublishedFigure.objects.filter(kind=kind)
        .select_related("stage")
        .prefetch_related("named_cities", "citations__source")
    )
    return [_check(figure) for figure in figures.order_by("key")]


def unseeded_figures(*, fixture_dir: Path) -> list[str]:
    """Keys of the fixtures' figures that the database does not hold (a partial seed)."""
    path = Path(fixture_dir) / "published_figures.yaml"
    if not path.exists():
        return []
    listed = {r.get("key") for r in yaml.safe_load(path.read_text(encoding="utf-8")) or []}
    held = set(PublishedFigure.objects.values_list("key", flat=True))
    return sorted(k for k in listed - held if k)


def known_inconsistencies() -> list[Discrepancy]:
    """Where the documents disagree (reading notes apart: see ``reading_notes``)."""
    return list(Discrepancy.objects.filter(kind=Discrepancy.Kind.INCONSISTENCY).order_by("key"))


def reading_notes() -> list[Discrepancy]:
    """Differences of wording or scope once filed as inconsistencies, with why they are not."""
    return list(Discrepancy.objects.filter(kind=Discrepancy.Kind.READING_NOTE).order_by("key"))


# ---------------------------------------------------------------------- helpers
def _names(cities) -> str:
    return ", ".join(sorted(c.name for c in cities)) or "none"


def _label(figure: PublishedFigure) -> str:
    shown = figure.value if figure.value is not None else figure.value_as_written
    when = figure.as_of_as_written or (str(figure.as_of) if figure.as_of else "undated")
    return f"{figure.key}: {shown} {figure.unit}, {figure.scope} ({when})"


def _published(figure: PublishedFigure):
    if figure.range_low is not None:
        low, high = figure.range_low.normalize(), figure.range_high.normalize()
        words = f"“{figure.value_as_written}”, " if figure.value_as_written else ""
        return f"{words}read as {low:f} to {high:f}"
    return figure.value


def _within(figure: PublishedFigure, recorded, *, total: int | None = None) -> bool:
    """Whether ``recorded`` equals the figure, or lies in its inferred range (a share is
    taken of ``total``)."""
    if figure.range_low is not None:
        value = Decimal(recorded) / total if total else Decimal(recorded)
        return figure.range_low <= value <= figure.range_high
    return figure.value is not None and Decimal(recorded) == Decimal(figure.value)


def _most(figure: PublishedFigure, *, total: int | None = None) -> Decimal | None:
    """The largest count the figure allows (its value, or the top of its range)."""
    if figure.range_high is not None:
        return figure.range_high * total if total else figure.range_high
    return None if figure.value is None else Decimal(figure.value)


def _result(figure, recorded, unknown: int, what: str, *, total: int | None = None):
    """A count check: equal (or in range) matches; above the figure contradicts; below it,
    ``unknown`` cities could still fill it (incomplete) or cannot (contradiction)."""
    kind = figure.comparison
    published = _published(figure)
    if figure.comparison == FigureComparison.PARTIAL:
        most = _most(figure, total=total)
        if most is not None and recorded > most:
            reason = f"{recorded} {what}, more than published. {figure.comparison_note}"
            return FigureCheck(
                figure.key, kind, _label(figure), published, recorded, CONTRADICTION, reason
            )
        reason = f"{recorded} {what}; missing: {figure.comparison_note}"
        return FigureCheck(
            figure.key, kind, _label(figure), published, recorded, INCOMPLETE, reason
        )
    if _within(figure, recorded, total=total):
        return FigureCheck(figure.key, kind, _label(figure), published, recorded, MATCHES)
    most = _most(figure, total=total)
    if most is not None and recorded < most and recorded + unknown >= (figure.range_low or most):
        reason = f"{recorded} {what}; {unknown} unknown could make up the rest"
        return FigureCheck(
            figure.key, kind, _label(figure), published, recorded, INCOMPLETE, reason
        )
    reason = f"{recorded} {what}" + (f"; {unknown} unknown" if unknown else "")
    return FigureCheck(figure.key, kind, _label(figure), published, recorded, CONTRADICTION, reason)


def _compact_rows():
    return Compact.objects.filter(city__kind=City.Kind.COMPACT_CITY)


def _missing_compacts() -> int:
    return City.objects.compact_cities().filter(compact__isnull=True).count()


# ----------------------------------------------------------------------- checks
def _check(figure: PublishedFigure) -> FigureCheck:
    if figure.comparison == FigureComparison.CONTEXT:
        return FigureCheck(
            figure.key,
            figure.comparison,
            _label(figure),
            _published(figure),
            None,
            CONTEXT,
            figure.comparison_note,
        )
    what, _, arg = figure.compares.partition(":")
    handler = _HANDLERS.get(what)
    if handler is None:
        reason = f"unknown comparison {figure.compares!r} in the fixture"
        return FigureCheck(
            figure.key, figure.comparison, _label(figure), figure.value, None, CONTRADICTION, reason
        )
    return handler(figure, arg)


def _cities(figure: PublishedFigure, arg: str) -> FigureCheck:
    kinds = {
        "compact": City.Kind.COMPACT_CITY,
        "florida": City.Kind.FLORIDA_COMPACT,
        "other": City.Kind.OTHER_LOCALITY,
    }
    recorded = City.objects.filter(kind=kinds[arg]).count()
    return _result(figure, recorded, 0, f"{arg} cities recorded")


def _compacts(figure: PublishedFigure, arg: str) -> FigureCheck:
    compacts = _compact_rows()
    unknown_compacts = _missing_compacts()
    if arg.startswith("signing_year"):
        op = "<=" if "<=" in arg else "="
        year = int(arg.split(op)[1])
        lookup = "signing_year__lte" if op == "<=" else "signing_year"
        recorded = compacts.filter(**{lookup: year}).count()
        unknown = compacts.filter(signing_year__isnull=True).count() + unknown_compacts
        return _result(figure, recorded, unknown, f"Compact cities recorded as signed {op} {year}")
    if arg == "signing_grant_usd":
        wrong = compacts.exclude(signing_grant_usd=figure.value).exclude(
            signing_grant_usd__isnull=True
        )
        unknown = compacts.filter(signing_grant_usd__isnull=True).count() + unknown_compacts
        label, published = _label(figure), figure.value
        if wrong.exists():
            amounts = ", ".join(f"{c.city.name} ${c.signing_grant_usd:,}" for c in wrong)
            reason = f"recorded otherwise: {amounts}"
            return FigureCheck(figure.key, figure.comparison, label, published, "varies",
                               CONTRADICTION, reason)  # fmt: skip
        if unknown:
            reason = f"{unknown} Compact cities have no recorded grant"
            return FigureCheck(figure.key, figure.comparison, label, published, figure.value,
                               INCOMPLETE, reason)  # fmt: skip
        reason = f"every one of the {compacts.count()} Compact cities records it"
        return FigureCheck(figure.key, figure.comparison, label, published, figure.value,
                           MATCHES, reason)  # fmt: skip
    recorded = compacts.filter(**{arg: True}).count()
    unknown = compacts.filter(**{f"{arg}__isnull": True}).count() + unknown_compacts
    return _result(figure, recorded, unknown, f"Compact cities recorded with {arg}")


def _stages(figure: PublishedFigure, arg: str) -> FigureCheck:
    return _result(figure, Stage.objects.count(), 0, "stages recorded")


def _stage(figure: PublishedFigure, arg: str) -> FigureCheck:
    orders = set(EARLIEST_STAGE_ORDERS) if arg == "earliest" else {figure.stage.order}
    stages = current_stages(as_of=figure.as_of)
    compact = list(City.objects.compact_cities())
    at_stage = [c for c in compact if stages.get(c.pk) in orders]
    unassessed = [c for c in compact if c.pk not in stages]
    named = list(figure.named_cities.all())
    label, kind = _label(figure), figure.comparison
    if named:
        elsewhere = [c for c in named if c.pk in stages and stages[c.pk] not in orders]
        strangers = [c for c in at_stage if c not in named]
        problems = []
        if elsewhere:
            problems.append(f"named but recorded at another stage: {_names(elsewhere)}")
        if strangers:
            problems.append(f"recorded at this stage but not named: {_names(strangers)}")
        if problems:
            return FigureCheck(figure.key, kind, label, figure.value, len(at_stage),
                               CONTRADICTION, "; ".join(problems))  # fmt: skip
        missing = [c for c in named if c.pk not in stages]
        if missing:
            return FigureCheck(figure.key, kind, label, figure.value, len(at_stage),
                               INCOMPLETE, f"not assessed: {_names(missing)}")  # fmt: skip
        return FigureCheck(figure.key, kind, label, figure.value, len(at_stage), MATCHES,
                           f"named: {_names(named)}")  # fmt: skip
    check = _result(figure, len(at_stage), len(unassessed), "Compact cities recorded at it")
    if check.outcome == INCOMPLETE and kind == FigureComparison.PARTIAL:
        reason = (
            f"{len(at_stage)} recorded at it ({_names(at_stage)}); {len(unassessed)} Compact "
            f"cities not assessed; missing: {figure.comparison_note}"
        )
        check = FigureCheck(figure.key, kind, label, figure.value, len(at_stage), INCOMPLETE,
                            reason)  # fmt: skip
    return check


def _findings(figure: PublishedFigure, arg: str) -> FigureCheck:
    """Cities with a finding in this direction. Only findings that name the city and cite
    the figure's own document count as identified; the rest are candidates by inference."""
    sources = {c.source_id for c in figure.citations.all()}
    findings = (
        TrajectoryFinding.objects.filter(direction=arg, city__kind=City.Kind.COMPACT_CITY)
        .select_related("city")
        .prefetch_related("citations__source")
    )
    named, candidates = set(), {}
    for finding in findings:
        cited = {c.source_id for c in finding.citations.all()}
        if finding.naming == TrajectoryFinding.Naming.NAMED and cited & sources:
            named.add(finding.city)
        else:
            for citation in finding.citations.all():
                candidates.setdefault(citation.source.title, set()).add(finding.city)
                break
    label, kind = _label(figure), figure.comparison
    listed = list(figure.named_cities.all())
    total = City.objects.compact_cities().count()
    if listed:
        strangers = named - set(listed)
        problems = [f"named in the same report but not listed: {_names(strangers)}"] * bool(
            strangers
        )
        opposite = TrajectoryFinding.objects.filter(
            city__in=listed,
            direction="lost_ground" if arg == "progressed" else "progressed",
            naming=TrajectoryFinding.Naming.NAMED,
            citations__source_id__in=sources,
        ).select_related("city")
        if opposite:
            problems.append(
                f"listed but named as the opposite in the same report: "
                f"{_names({f.city for f in opposite})}"
            )
        if problems:
            return FigureCheck(figure.key, kind, label, figure.value, len(named),
                               CONTRADICTION, "; ".join(problems))  # fmt: skip
        missing = [c for c in listed if c not in named]
        if missing:
            return FigureCheck(figure.key, kind, label, figure.value, len(named), INCOMPLETE,
                               f"no finding recorded for {_names(missing)}")  # fmt: skip
        return FigureCheck(figure.key, kind, label, figure.value, len(named), MATCHES,
                           f"named: {_names(listed)}")  # fmt: skip
    check = _result(figure, len(named), 0, "Compact cities named", total=total)
    if check.outcome != INCOMPLETE:
        return check
    by_source = "; ".join(
        f"{_names(cities)} ({source})" for source, cities in sorted(candidates.items())
    )
    reason = (
        f"{len(named)} named ({_names(named)}); candidates by inference: {by_source or 'none'}; "
        f"missing: {figure.comparison_note}"
    )
    return FigureCheck(figure.key, kind, label, _published(figure), len(named), INCOMPLETE,
                       reason)  # fmt: skip


def _initiative(figure: PublishedFigure, arg: str) -> FigureCheck:
    key, _, metric = arg.partition("/")
    row = InitiativeFigure.objects.filter(initiative__key=key, metric=metric).first()
    label, kind = _label(figure), figure.comparison
    if row is None:
        reason = f"no figure {metric!r} recorded for initiative {key}"
        return FigureCheck(figure.key, kind, label, _published(figure), None, MISSING, reason)
    recorded = row.value.normalize()
    if _within(figure, row.value):
        return FigureCheck(figure.key, kind, label, _published(figure), f"{recorded:f}", MATCHES,
                           f"initiative {key}")  # fmt: skip
    reason = f"initiative {key} records {metric} = {recorded:f}"
    return FigureCheck(figure.key, kind, label, _published(figure), f"{recorded:f}",
                       CONTRADICTION, reason)  # fmt: skip


def _event(figure: PublishedFigure, arg: str) -> FigureCheck:
    """``key/cities``: how many cities the event names; ``key/title``: the number its
    title records (e.g. "Central Falls exits bankruptcy after 13 months")."""
    key, _, what = arg.partition("/")
    event = Event.objects.filter(key=key).prefetch_related("cities").first()
    label, kind = _label(figure), figure.comparison
    if event is None:
        return FigureCheck(figure.key, kind, label, figure.value, None, MISSING,
                           f"event {key} not recorded")  # fmt: skip
    if what == "title":
        recorded = sorted(numbers_in(event.title))
        shown = ", ".join(f"{n:f}" for n in recorded) or "no number"
        outcome = MATCHES if Decimal(figure.value) in recorded else CONTRADICTION
        reason = f"event {key}: “{event.title}”"
        return FigureCheck(figure.key, kind, label, figure.value, shown, outcome, reason)
    cities = list(event.cities.all())
    return _result(figure, len(cities), 0, f"cities named by the event ({_names(cities)})")


def _context_factor(figure: PublishedFigure, arg: str) -> FigureCheck:
    cities = City.objects.compact_cities().filter(
        pk__in=ContextFactor.objects.filter(kind=arg).values("city_id")
    )
    recorded = list(cities)
    return _result(figure, len(recorded), 0, f"Compact cities recorded ({_names(recorded)})")


_HANDLERS = {
    "cities": _cities,
    "compacts": _compacts,
    "stages": _stages,
    "stage": _stage,
    "findings": _findings,
    "initiative": _initiative,
    "event": _event,
    "context_factor": _context_factor,
}
