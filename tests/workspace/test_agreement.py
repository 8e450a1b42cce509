"""Agreement figures against Krippendorff's published worked examples.

Krippendorff, K. (2011). Computing Krippendorff's Alpha-Reliability. University of
Pennsylvania, Annenberg School for Communication, Departmental Papers 43.
Example C: four observers, twelve units, missing values; the paper gives alpha = 0.743
(nominal), 0.815 (ordinal), 0.849 (interval) and 0.797 (ratio). Example B: two observers,
binary data, alpha = 0.095.
"""

import pytest

from workspace.agreement import coincidences, exact_agreement, krippendorff_alpha, spread

N = None
OBSERVER_A = [1, 2, 3, 3, 2, 1, 4, 1, 2, N, N, N]
OBSERVER_B = [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, N, 3]
OBSERVER_C = [N, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, N]
OBSERVER_D = [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, N]
EXAMPLE_C = list(zip(OBSERVER_A, OBSERVER_B, OBSERVER_C, OBSERVER_D, strict=True))


@pytest.mark.parametrize(
    ("level", "expected"),
    [("nominal", 0.743), ("ordinal", 0.815), ("interval", 0.849), ("ratio", 0.797)],
)
def test_alpha_matches_krippendorffs_four_observer_example_with_missing_data(level, expected):
    assert krippendorff_alpha(EXAMPLE_C, level=level) == pytest.approx(expected, abs=0.0005)


def test_alpha_matches_krippendorffs_two_observer_binary_example():
    a = [0, 1, 0, 0, 0, 0, 0, 0, 1, 0]
    b = [1, 1, 1, 0, 0, 1, 0, 0, 0, 0]
    units = list(zip(a, b, strict=True))
    assert krippendorff_alpha(units, level="nominal") == pytest.approx(0.095, abs=0.0005)


def test_the_coincidence_matrix_counts_every_pairable_value_once():
    # 48 cells - 7 missing = 41 values, less the lone value of unit 12: n = 40, as in the paper.
    assert sum(coincidences(EXAMPLE_C).values()) == 40


def test_a_unit_rated_once_does_not_change_alpha():
    with_single = [*EXAMPLE_C, (N, 4, N, N)]
    assert krippendorff_alpha(with_single) == krippendorff_alpha(EXAMPLE_C)


def test_perfect_agreement_with_variety_is_one():
    assert krippendorff_alpha([(1, 1, 1), (3, 3, N), (5, 5, 5)]) == 1.0


def test_alpha_is_undefined_without_pairable_units_or_without_variety():
    assert krippendorff_alpha([(1, N), (N, 2)]) is None
    assert krippendorff_alpha([(2, 2), (2, 2, 2)]) is None
    assert krippendorff_alpha([]) is None


def test_ordinal_alpha_punishes_distant_disagreement_more_than_near():
    near = [(1, 2), (3, 3), (4, 4), (5, 5)]
    far = [(1, 5), (3, 3), (4, 4), (2, 2)]
    assert krippendorff_alpha(near) > krippendorff_alpha(far)


def test_exact_agreement_counts_pairable_units_where_everyone_agrees():
    # Units 1, 3, 4, 5, 7, 9, 10 and 11 agree; 2, 6 and 8 do not; 12 has one value only.
    assert exact_agreement(EXAMPLE_C) == pytest.approx(8 / 11)
    assert exact_agreement([(1, N)]) is None


def test_spread_reports_the_lowest_and_highest_stage():
    result = spread([2, None, 4, 3])
    assert (result.count, result.lowest, result.highest, result.steps) == (3, 2, 4, 2)
    assert not result.unanimous
    assert spread([3, 3]).unanimous
    assert spread([]).steps is None
