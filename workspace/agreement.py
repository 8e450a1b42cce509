"""Agreement between raters: Krippendorff's alpha and exact agreement. Pure functions.

A *unit* is one assessment; its values are the stages (as ordered integers) its raters
chose, with ``None`` for a rater who did not rate it. Only units with two or more values
are pairable; the rest carry no information about agreement and are left out.

Alpha follows Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability"
(University of Pennsylvania, Annenberg School for Communication): a coincidence matrix
over pairable values, observed against expected disagreement,
``alpha = 1 - (n - 1) * sum(o_ck * d2_ck) / sum(n_c * n_k * d2_ck)``.
"""

from collections import Counter
from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction
from itertools import permutations
from typing import Literal

Level = Literal["nominal", "ordinal", "interval", "ratio"]


def _pairable(units: Iterable[Sequence[Hashable | None]]) -> list[list[Hashable]]:
    cleaned = ([v for v in unit if v is not None] for unit in units)
    return [unit for unit in cleaned if len(unit) >= 2]


def coincidences(units: Iterable[Sequence[Hashable | None]]) -> dict[tuple, Fraction]:
    """The coincidence matrix ``o[c, k]``: each ordered pair of values within a unit,
    weighted by ``1 / (m_u - 1)`` where ``m_u`` is the number of values in that unit."""
    matrix: dict[tuple, Fraction] = Counter()
    for unit in _pairable(units):
        weight = Fraction(1, len(unit) - 1)
        for c, k in permutations(unit, 2):
            matrix[(c, k)] += weight
    return dict(matrix)


def _squared_difference(level: Level, margins: dict) -> Callable[[Hashable, Hashable], Fraction]:
    if level == "nominal":
        return lambda c, k: Fraction(int(c != k))
    if level == "interval":
        return lambda c, k: Fraction(c - k) ** 2
    if level == "ratio":
        return lambda c, k: Fraction(c - k, c + k) ** 2 if c + k else Fraction(0)
    if level == "ordinal":
        order = sorted(margins)
        position = {v: i for i, v in enumerate(order)}

        def ordinal(c, k):
            lo, hi = sorted((position[c], position[k]))
            between = sum(margins[order[g]] for g in range(lo, hi + 1))
            return (between - (margins[c] + margins[k]) / 2) ** 2

        return ordinal
    raise ValueError(f"Unknown level of measurement: {level!r}")


def krippendorff_alpha(
    units: Iterable[Sequence[Hashable | None]], *, level: Level = "ordinal"
) -> float | None:
    """Krippendorff's alpha for any number of raters, with missing values as ``None``.

    ``units`` holds one sequence per unit (per assessment), one entry per rater. For the
    ordinal level values must be sortable (stage order numbers). Returns ``None`` when
    alpha is undefined: no pairable unit, or every pairable value the same (no expected
    disagreement).
    """
    matrix = coincidences(units)
    margins: dict = Counter()
    for (c, _k), count in matrix.items():
        margins[c] += count
    n = sum(margins.values())
    if n == 0 or len(margins) < 2:
        return None
    delta = _squared_difference(level, margins)
    observed = sum(count * delta(c, k) for (c, k), count in matrix.items())
    expected = sum(margins[c] * margins[k] * delta(c, k) for c in margins for k in margins)
    if expected == 0:
        return None
    return float(1 - (n - 1) * observed / expected)


def exact_agreement(units: Iterable[Sequence[Hashable | None]]) -> float | None:
    """Share of pairable units (two or more ratings) where every rater chose the same value.

    Returns a fraction between 0 and 1, or ``None`` when no unit is pairable.
    """
    pairable = _pairable(units)
    if not pairable:
        return None
    return sum(len(set(unit)) == 1 for unit in pairable) / len(pairable)


@dataclass(frozen=True)
class Spread:
    """How far one assessment's ratings are apart, in stage steps."""

    count: int
    lowest: int | None
    highest: int | None

    @property
    def steps(self) -> int | None:
        return None if self.lowest is None else self.highest - self.lowest

    @property
    def unanimous(self) -> bool:
        return self.count >= 2 and self.steps == 0


def spread(values: Iterable[int | None]) -> Spread:
    present = [v for v in values if v is not None]
    if not present:
        return Spread(count=0, lowest=None, highest=None)
    return Spread(count=len(present), lowest=min(present), highest=max(present))


NOT_ENOUGH_CASES = "not enough cases"


@dataclass(frozen=True)
class AlphaFigure:
    """Ordinal alpha over ``cases`` pairable units, shown only from ``minimum`` cases on
    and where alpha is defined; otherwise the figure reads "not enough cases"."""

    alpha: float | None
    cases: int
    minimum: int

    @property
    def enough(self) -> bool:
        return self.alpha is not None and self.cases >= self.minimum

    @property
    def label(self) -> str:
        return f"{self.alpha:.3f}" if self.enough else NOT_ENOUGH_CASES


def alpha_figure(units: Iterable[Sequence[Hashable | None]], *, minimum: int) -> AlphaFigure:
    """Ordinal alpha of ``units`` with its number of pairable units (``AlphaFigure``)."""
    units = list(units)
    return AlphaFigure(
        alpha=krippendorff_alpha(units, level="ordinal"),
        cases=len(_pairable(units)),
        minimum=minimum,
    )


def mean_signed_distance(pairs: Iterable[tuple[int, int]]) -> float | None:
    """Mean of ``rated - intended`` over ``(rated, intended)`` stage orders: positive is
    lenient (higher stages than intended), negative severe. ``None`` with no pairs."""
    differences = [rated - intended for rated, intended in pairs]
    if not differences:
        return None
    return sum(differences) / len(differences)


def leniency_words(distance: float | None) -> str:
    """A mean signed distance in words: "0.40 stages higher than intended (lenient)"."""
    if distance is None:
        return "no cases yet"
    if abs(distance) < 0.005:
        return "on the intended stage on average"
    direction = "higher" if distance > 0 else "lower"
    kind = "lenient" if distance > 0 else "severe"
    size = abs(distance)
    unit = "stage" if size == 1 else "stages"
    return f"{size:.2f} {unit} {direction} than intended ({kind})"


def alpha_by_period_and_pair(
    ratings: Iterable[tuple[int, int, str, int]], *, minimum: int
) -> tuple[dict[int, AlphaFigure], dict[tuple[str, str], AlphaFigure]]:
    """Agreement over time from ``(assessment_id, period_year, rater, stage_order)`` rows
    (first submitted ratings): ordinal alpha per period (each assessment of that year a
    unit, every rater's stage in it) and per pair of raters (the assessments both rated,
    over all periods). Pairs are named in alphabetical order."""
    units: dict[int, dict[str, int]] = {}
    years: dict[int, int] = {}
    for assessment_id, year, rater, order in ratings:
        units.setdefault(assessment_id, {})[rater] = order
        years[assessment_id] = year
    per_year: dict[int, list[list[int]]] = {}
    for assessment_id, values in units.items():
        per_year.setdefault(years[assessment_id], []).append(list(values.values()))
    by_period = {
        year: alpha_figure(year_units, minimum=minimum)
        for year, year_units in sorted(per_year.items())
    }
    raters = sorted({rater for values in units.values() for rater in values})
    by_pair = {}
    for position, first in enumerate(raters):
        for second in raters[position + 1 :]:
            pair_units = [
                (values[first], values[second])
                for values in units.values()
                if first in values and second in values
            ]
            if pair_units:
                by_pair[(first, second)] = alpha_figure(pair_units, minimum=minimum)
    return by_period, by_pair
