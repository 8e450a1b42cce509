"""Pages show a quote's words without the Markdown marks of the seeded documents."""

import pytest

from sources.templatetags.quotes import as_read


@pytest.mark.parametrize(
    ("quote", "read"),
    [
        ("Boston, MA^{*}", "Boston, MA*"),
        ("Denver, CO^{*P}", "Denver, CO*P"),
        ("the [Boston Educators Collaborative](#) met", "the Boston Educators Collaborative met"),
        (
            "have achieved and maintained \\*Advanced\\* cooperation",
            "have achieved and maintained Advanced cooperation",
        ),
        ("the *Basic cooperation* stage", "the Basic cooperation stage"),
        ("a \\$100,000 grant", "a $100,000 grant"),
        ("5 * 3 = 15, no emphasis", "5 * 3 = 15, no emphasis"),
        ("plain words stay as they are", "plain words stay as they are"),
    ],
)
def test_a_quote_reads_as_in_the_document(quote, read):
    assert as_read(quote) == read
