"""An uploaded file's text is read in a child process held to limits: a small PDF of
repeated text operators ends with the reason it could not be read, quickly."""

import pytest

from sources.reading import (
    TOO_MUCH_CPU,
    TOO_MUCH_MEMORY,
    TOO_SLOW,
    Limits,
    read_text,
)
from sources.text import NOT_TEXT, TOO_MANY_OPERATORS, TextUnavailable
from tests.pdfs import operator_flood_pdf, text_pdf


def test_a_readable_pdf_gives_its_text():
    text = read_text(
        name="plan.pdf", data=text_pdf("Both sectors share a lottery."), limits=Limits()
    )
    assert text == "Both sectors share a lottery."


def test_a_flood_of_text_operators_stops_at_the_processor_time_limit():
    limits = Limits(cpu_seconds=1, wall_seconds=15, page_operators=0)
    with pytest.raises(TextUnavailable) as refused:
        read_text(name="flood.pdf", data=operator_flood_pdf(operators=150_000), limits=limits)
    assert str(refused.value) == TOO_MUCH_CPU.format(seconds=1)


def test_a_reading_that_outlasts_the_wall_clock_timeout_is_killed():
    limits = Limits(cpu_seconds=20, wall_seconds=1, page_operators=0)
    with pytest.raises(TextUnavailable) as refused:
        read_text(name="flood.pdf", data=operator_flood_pdf(operators=150_000), limits=limits)
    assert str(refused.value) == TOO_SLOW.format(seconds=1)


def test_a_page_that_inflates_past_the_memory_limit_is_refused():
    # 200 KB that inflate to 140 MB of operators.
    flood = operator_flood_pdf(operators=20_000_000)
    assert len(flood) < 300_000
    with pytest.raises(TextUnavailable) as refused:
        read_text(name="bomb.pdf", data=flood, limits=Limits(memory_mb=150, page_operators=0))
    assert str(refused.value) == TOO_MUCH_MEMORY.format(mb=150)


def test_a_file_that_is_neither_text_nor_pdf_says_so():
    with pytest.raises(TextUnavailable, match=NOT_TEXT):
        read_text(name="a.doc", data=b"\xff\xfe\x00W\x00o", limits=Limits())


def test_a_page_of_a_million_text_operators_is_refused_before_they_are_run():
    # The 12-page, 130 KB PDF that stalled gunicorn: counted and refused, with the default
    # limits, in the time it takes to inflate the pages (a CPU limit would take 20 s).
    flood = operator_flood_pdf(pages=12, operators=1_000_000)
    with pytest.raises(TextUnavailable) as refused:
        read_text(name="flood.pdf", data=flood, limits=Limits(cpu_seconds=10))
    assert str(refused.value) == TOO_MANY_OPERATORS.format(page=1, limit=100_000)
