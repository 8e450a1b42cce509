"""Beside Figure 6: what the documents count as lost ground ("of the 23 initiatives tracked,
nearly half (10) lost ground"), next to what is recorded here as of the month: the compact
cities whose loss is firm, possible or reported (``compacts.standing``), and the cities a
document names as having lost ground or that are candidates by inference."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, F, Window
from django.db.models.functions import RowNumber

from cities.models import City
from common import dates
from common.choices import LossStatus
from common.labels import city_label
from compacts.models import FigureKind, FindingNaming, TrajectoryFinding
from compacts.stored import standing_rows

# The published figures that count lost ground (fixtures/published_figures.yaml).
LOST_GROUND = "findings:lost_ground"
COUNTED = (LossStatus.YES, LossStatus.POSSIBLE, LossStatus.REPORTED)
# Each list of cities names at most this many, then says how many more and where they are
# (the dashboard filtered by that loss, the Figure 6 CSV): the page's weight must not grow
# with the number of cities.
LIST_MOST = 20


@dataclass(frozen=True)
class CityList:
    """The first LIST_MOST labels of a list and how many are left out."""

    shown: tuple[str, ...]
    more: int

    @classmethod
    def of(cls, labels: tuple[str, ...]) -> CityList:
        return cls(shown=labels[:LIST_MOST], more=max(len(labels) - LIST_MOST, 0))


@dataclass(frozen=True)
class DocumentCount:
    """A document's own count of lost ground, in its words."""

    value: str  # "10 of 23 initiatives", "nearly half (share of Compact cities)"
    scope: str
    quote: str
    source_title: str


@dataclass(frozen=True)
class LossCounts:
    as_of_label: str
    documents: tuple[DocumentCount, ...]
    # Loss status -> the first LIST_MOST city labels by name (yes, possible, reported), and
    # how many compact cities have each status.
    recorded: dict[str, tuple[str, ...]]
    recorded_counts: dict[str, int]
    compact_cities: int
    unknown: int  # compact cities with no published stage or report: a loss unknown, not "no"
    named: tuple[str, ...]  # "Baltimore, MD (Collision Course)"
    candidates: tuple[str, ...]

    @property
    def recorded_total(self) -> int:
        return sum(self.recorded_counts.values())

    @property
    def recorded_rows(self) -> list[tuple[str, str, int, CityList]]:
        """(status, label, count, cities) for each loss status counted, in order."""
        return [
            (
                status,
                LossStatus(status).label,
                self.recorded_counts[status],
                CityList(
                    shown=self.recorded[status],
                    more=self.recorded_counts[status] - len(self.recorded[status]),
                ),
            )
            for status in COUNTED
        ]

    @property
    def named_list(self) -> CityList:
        return CityList.of(self.named)

    @property
    def candidate_list(self) -> CityList:
        return CityList.of(self.candidates)


def loss_counts(*, as_of: datetime.date, findings: list[dict], figures: list[dict]) -> LossCounts:
    """The documents' counts of lost ground known by ``as_of`` (never a derived count),
    beside the compact cities recorded here with a firm, possible or reported loss that
    month, and the cities named or candidates by the lost-ground findings known by then.
    ``findings`` and ``figures`` are that month's ``cities.timelines.known_findings`` rows and
    ``dashboard.selectors.known_figures``. One query."""
    documents = tuple(
        DocumentCount(
            value=_value(figure),
            scope=figure["scope"],
            quote=figure["quote"] or "",
            source_title=figure["source_title"] or "",
        )
        for figure in figures
        if figure["compares"] == LOST_GROUND and figure["kind"] != FigureKind.DERIVED
    )
    # Each status's count and its first LIST_MOST cities by name, from the database: a
    # page's worth of rows however many compact cities there are.
    recorded: dict[str, list[str]] = {status: [] for status in COUNTED}
    counts: dict[str, int] = {}
    for city in standing_rows(("compact_cities_loss", as_of), lambda: _first_by_loss(as_of)):
        counts[city["loss_status"]] = city["n"]
        if city["loss_status"] in recorded:
            recorded[city["loss_status"]].append(city_label(city["name"], city["state"]))
    lost = sorted(
        (row for row in findings if row["direction"] == TrajectoryFinding.Direction.LOST_GROUND),
        key=lambda row: (row["city__name"], row["key"]),
    )
    # City label -> the documents naming it (or from which it is a candidate), per naming.
    named: dict[str, dict[str, list[str]]] = {FindingNaming.NAMED: {}, FindingNaming.CANDIDATE: {}}
    for row in lost:
        label = city_label(row["city__name"], row["city__state"])
        sources = named[row["naming"]].setdefault(label, [])
        source = row["source_title"]
        if source and source not in sources:
            sources.append(source)

    def entries(naming: str) -> tuple[str, ...]:
        return tuple(
            f"{label} ({'; '.join(sources)})" if sources else label
            for label, sources in named[naming].items()
        )

    return LossCounts(
        as_of_label=dates.month_label(as_of),
        documents=documents,
        recorded={status: tuple(labels) for status, labels in recorded.items()},
        recorded_counts={status: counts.get(status, 0) for status in COUNTED},
        compact_cities=sum(counts.values()),
        unknown=counts.get(LossStatus.UNKNOWN, 0),
        named=entries(FindingNaming.NAMED),
        candidates=entries(FindingNaming.CANDIDATE),
    )


def _first_by_loss(as_of: datetime.date):
    """The compact cities as of ``as_of``: for each loss status, how many have it (``n``) and
    the first LIST_MOST of them by name."""
    by_loss = {"partition_by": [F("loss_status")]}
    return (
        City.objects.compact_cities()
        .with_stage_as_of(as_of)
        .annotate(
            n=Window(Count("pk"), **by_loss),
            place=Window(RowNumber(), order_by=[F("name"), F("state"), F("pk")], **by_loss),
        )
        .filter(place__lte=LIST_MOST)
        .order_by("loss_status", "place")
        .values("name", "state", "loss_status", "n")
    )


def _value(figure: dict) -> str:
    value, unit, as_written = figure["value"], figure["unit"], figure["value_as_written"]
    if value is not None:
        return f"{value} {unit}".strip()
    return f"{as_written} ({unit})" if unit else as_written
