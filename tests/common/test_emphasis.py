import pytest

from charts.tables import DataTable
from charts.templatetags.charts import data_table
from common import emphasis


@pytest.mark.parametrize(
    ("marked", "plain", "html"),
    [
        ("the *Advanced* stage", "the Advanced stage", "the <em>Advanced</em> stage"),
        ("**Collision Course:** x", "Collision Course: x", "<strong>Collision Course:</strong> x"),
        ("* Indicates seven cities", "* Indicates seven cities", "* Indicates seven cities"),
        ("Boston, MA^{*}", "Boston, MA*", "Boston, MA*"),
        ("a < b *c*", "a < b c", "a &lt; b <em>c</em>"),
        # No mark at all: still escaped, quotes included.
        ('<i>"K" & co</i>', '<i>"K" & co</i>', "&lt;i&gt;&quot;K&quot; &amp; co&lt;/i&gt;"),
        ("[the report](#)", "the report", "the report"),
        ("a \\_b", "a _b", "a _b"),
    ],
)
def test_markdown_emphasis_is_stripped_for_text_and_rendered_for_pages(marked, plain, html):
    assert emphasis.plain(marked) == plain
    assert emphasis.to_html(marked) == html


def test_a_data_table_shows_emphasis_on_the_page_and_no_marks_in_its_csv():
    table = DataTable(
        caption="Counts",
        columns=("Stage", "Source"),
        rows=(("Advanced", "Report: “just 2 have achieved *Advanced* cooperation”"),),
    )

    assert "*" not in table.to_csv()
    assert "achieved Advanced cooperation" in table.to_csv()
    assert "<em>Advanced</em>" in data_table(table)
    assert "*Advanced*" not in data_table(table)
