"""`seed` refuses a value its own quotes do not support, even when every count stays the same.

Each test makes one careless edit to a copy of the fixtures, as a data-entry slip would,
and expects the seed to fail naming the file, the record, the field and the value.
"""

import pytest

from seed.fidelity import count_listed, numbers_in
from seed.seeding import FixtureError, seed_database
from sources.models import Source


def _record(records, **match):
    return next(r for r in records if all(r.get(k) == v for k, v in match.items()))


def _refused(broken_fixtures, name, change, *expected):
    with pytest.raises(FixtureError) as error:
        seed_database(fixture_dir=broken_fixtures(name, change))
    message = str(error.value)
    for part in (name, *expected):
        assert part in message
    assert Source.objects.count() == 0  # nothing written
    return message


def test_number_words_and_digits_are_read_from_a_quote():
    assert {9, 7, 6} <= numbers_in("nine have entered, seven completed, and six are leading")
    assert 100000 in numbers_in(r"a \$100,000 grant")
    assert 3 in numbers_in("a three-year sequence")
    assert 12 in numbers_in("more than a dozen cities")
    assert 16 in numbers_in("including Central Falls with 15 other cities")
    assert count_listed("Baltimore, Sacramento, Boston, and Hartford") == 4


def test_two_cities_signing_years_swapped_are_refused(db, broken_fixtures):
    def swap(records):
        boston, baltimore = _record(records, slug="boston"), _record(records, slug="baltimore")
        boston["compact"]["signing_year"], baltimore["compact"]["signing_year"] = 2010, 2011

    message = _refused(broken_fixtures, "cities.yaml", swap, "(baltimore)", "signing_year")
    assert "2011" in message
    assert "Baltimore, MD" in message


def test_a_signing_year_moved_by_one_year_is_refused(db, broken_fixtures):
    def move(records):
        _record(records, slug="tulsa")["compact"]["signing_year"] = 2015

    _refused(broken_fixtures, "cities.yaml", move, "(tulsa)", "signing_year = 2015", "Tulsa, OK")


def test_a_signing_year_is_checked_against_table_1_of_the_brief_too(db, broken_fixtures):
    def move_only_in_the_brief_citation(records):
        compact = _record(records, slug="aldine")["compact"]
        compact["signing_year"] = 2014
        # The Fast Facts citation now points at a 2014 city; the brief's Table 1 still
        # lists Aldine under "In 2013".
        fast_facts = next(
            c for c in compact["citations"] if c["source"] == "bridging-the-divide-2017"
            and c["field"] == "signing_year"
        )  # fmt: skip
        fast_facts["quote"] = "Spokane, WA^P"

    message = _refused(broken_fixtures, "cities.yaml", move_only_in_the_brief_citation, "(aldine)")
    assert "Aldine, TX" in message


def test_two_cities_portfolio_flags_swapped_are_refused(db, broken_fixtures):
    def swap(records):
        _record(records, slug="baltimore")["compact"]["portfolio_at_signing"] = False
        _record(records, slug="boston")["compact"]["portfolio_at_signing"] = True

    _refused(broken_fixtures, "cities.yaml", swap, "(baltimore)", "portfolio_at_signing = False")


def test_two_cities_funding_flags_swapped_are_refused(db, broken_fixtures):
    def swap(records):
        _record(records, slug="denver")["compact"]["significant_funding"] = False
        _record(records, slug="chicago")["compact"]["significant_funding"] = True

    _refused(broken_fixtures, "cities.yaml", swap, "(denver)", "significant_funding = False")


def test_a_signing_grant_amount_changed_is_refused(db, broken_fixtures):
    def change(records):
        _record(records, slug="lawrence")["compact"]["signing_grant_usd"] = 150000

    _refused(broken_fixtures, "cities.yaml", change, "(lawrence)", "signing_grant_usd = 150000")


@pytest.mark.parametrize(
    ("key", "level", "flipped"),
    [("shared-advocacy", "cost", "high"), ("common-enrollment", "benefit", "low")],
)
def test_a_figure_7_level_flipped_is_refused(db, broken_fixtures, key, level, flipped):
    def flip(records):
        _record(records, key=key)[level] = flipped

    _refused(broken_fixtures, "initiative_types.yaml", flip, f"({key})", f"{level} = '{flipped}'")


def test_an_initiative_figure_changed_is_refused(db, broken_fixtures):
    def change(records):
        sky = _record(records, key="sb-sky-partnership")
        _record(sky["figures"], metric="charter schools co-located")["value"] = 3

    _refused(broken_fixtures, "initiatives.yaml", change, "(sb-sky-partnership)", "value = 3")


def test_an_initiative_start_year_moved_is_refused(db, broken_fixtures):
    def move(records):
        _record(records, key="phl-common-enrollment-2013")["start_year"] = 2014

    _refused(
        broken_fixtures, "initiatives.yaml", move, "(phl-common-enrollment-2013)", "start_year"
    )


def test_a_value_changed_together_with_its_published_figure_is_refused(db, broken_fixtures):
    # Hartford's residency 9 -> 12 in the initiative and in the published figure: every
    # count still agrees, but the quote says "nine".
    def change_initiative(records):
        residency = _record(records, key="hfd-af-residency")
        _record(residency["figures"], metric="entered")["value"] = 12

    def change_figure(records):
        _record(records, key="hartford-af-entered")["value"] = 12

    broken_fixtures("published_figures.yaml", change_figure)
    message = _refused(
        broken_fixtures, "initiatives.yaml", change_initiative, "(hfd-af-residency)", "value = 12"
    )
    assert "nine" in message


def test_a_published_count_changed_is_refused_before_reconcile(db, broken_fixtures):
    def change(records):
        _record(records, key="instructional-sharing-commitments")["value"] = 15

    _refused(
        broken_fixtures,
        "published_figures.yaml",
        change,
        "(instructional-sharing-commitments)",
        "value = 15",
    )


def test_a_count_given_in_words_must_keep_the_words_inside_its_inferred_range(db, broken_fixtures):
    def change(records):
        figure = _record(records, key="slid-back-share")
        figure["range_low"], figure["range_high"] = "0.60", "0.70"  # not "nearly half"

    _refused(broken_fixtures, "published_figures.yaml", change, "(slid-back-share)", "range")


def test_a_derived_figure_must_equal_its_stated_arithmetic(db, broken_fixtures):
    def change(records):
        _record(records, key="stage-intermediate-count-derived")["value"] = 4

    _refused(
        broken_fixtures, "published_figures.yaml", change, "(stage-intermediate-count-derived)"
    )


def test_a_city_named_by_a_figure_must_be_named_in_its_quote(db, broken_fixtures):
    def change(records):
        figure = _record(records, key="significant-progress-count")
        figure["named_cities"] = [*figure["named_cities"][:-1], "tulsa"]

    _refused(
        broken_fixtures, "published_figures.yaml", change, "(significant-progress-count)", "tulsa"
    )


def test_an_event_year_its_quote_does_not_give_is_refused(db, broken_fixtures):
    def change(records):
        _record(records, key="fran-gallo-becomes-superintendent-of-central-falls-public-schools")[
            "occurred_on"
        ] = "2008-01-01"

    _refused(broken_fixtures, "events.yaml", change, "fran-gallo", "year of occurred_on")


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("signing_year", "twenty-ten", "compact.signing_year = 'twenty-ten' is not a number"),
        ("signing_year", [2010], "compact.signing_year = [2010] is not a number"),
        ("signing_year", "", "compact.signing_year = '': “” value must be an integer"),
        ("signing_grant_usd", "lots", "compact.signing_grant_usd = 'lots' is not a number"),
    ],
)
def test_a_value_that_is_no_number_is_refused_with_its_field_not_a_traceback(
    db, broken_fixtures, field, value, expected
):
    def garble(records):
        _record(records, slug="baltimore")["compact"][field] = value

    _refused(broken_fixtures, "cities.yaml", garble, "(baltimore)", expected)


def test_a_quote_of_an_odd_shape_is_refused_with_its_record(db, broken_fixtures):
    def garble(records):
        compact = _record(records, slug="baltimore")["compact"]
        compact["citations"] = [{"field": "signing_year", "source": 1, "quote": {"a": 1}}]

    _refused(broken_fixtures, "cities.yaml", garble, "(baltimore)", "not of the shape")
