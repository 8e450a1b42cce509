"""Rendering helpers for the dashboard's data tables and long option lists.

A 1,000-city table has 10,000 cells; building it in Python (escaped with the standard
library) is several times faster than a template loop, and the page has a time budget.
"""

import html
import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.safestring import SafeString, mark_safe

from common import dates, emphasis, labels

from .. import freshness
from ..tables import DataTable

register = template.Library()


@register.filter
def is_stale(period_start, as_of=None) -> bool:
    """``{% if city.current_period_start|is_stale %}``: older than the stale threshold as of
    ``as_of`` (this month by default), the rule every chart and table uses."""
    as_of = as_of or dates.current_month_end()
    return freshness.is_stale(period_start, as_of, freshness.stale_after_years())


@register.simple_tag
def stale_after_years() -> int:
    return freshness.stale_after_years()


def _cell(value) -> str:
    return "" if value is None else html.escape(str(value))


def _content(value) -> str:
    """A cell's text: escaped, quoted emphasis as <em>, one line per line (no Markdown
    marks on the page)."""
    if value is None:
        return ""
    return emphasis.to_html(str(value)).replace("\n", "<br>")


# A city picker lists at most this many cities (the chosen ones first); a longer list
# would make the page heavy and is no way to choose anyway.
PICKER_MOST = 60

# A page shows at most this many rows of a chart's data table; the CSV carries them all
# (a 1,000-city table would make the dashboard a megabyte).
HTML_ROWS = 100
# The dashboard shows four charts' tables on one page: fewer rows each, so the page's
# weight stays put however many cities and months there are.
SHORT_ROWS = 25


@register.filter
def data_table(table: DataTable, style: str = "cards") -> SafeString:
    """The table as accessible HTML: caption, column headers, the first cell a row header.

    Every cell carries its column's name (data-label), so on a phone the table folds into
    one card per row (site.css, ``table.cards``) and no column is cut off; ``"plain"``
    keeps a narrow table (two or three columns) a table."""
    return _table_html(table, style, HTML_ROWS)


@register.filter
def short_data_table(table: DataTable) -> SafeString:
    """``data_table`` with at most SHORT_ROWS rows (the dashboard's charts)."""
    return _table_html(table, "cards", SHORT_ROWS)


def _table_html(table: DataTable, style: str, most: int) -> SafeString:
    labels = [_cell(column) for column in table.columns]
    head = "".join(f'<th scope="col">{label}</th>' for label in labels)
    shown = table.rows[:most]
    caption = _cell(table.caption)
    if len(table.rows) > most:
        caption += f" (the first {most:,} of {len(table.rows):,} rows; the CSV has all)"
    body = (
        "".join(
            f'<tr><th scope="row">{_content(row[0])}</th>'
            + "".join(
                f'<td data-label="{label}">{_content(value)}</td>'
                for label, value in zip(labels[1:], row[1:], strict=False)
            )
            + "</tr>"
            for row in shown
        )
        or f'<tr><td colspan="{len(table.columns)}">No rows for these filters.</td></tr>'
    )
    # Every value above is escaped.
    classes = "dash-table" if style == "plain" else "dash-table cards"
    return mark_safe(
        f'<div class="table-wrap"><table class="{classes}"><caption>{caption}'
        f"</caption><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


@register.simple_tag
def city_checkboxes(
    cities, chosen, *, name: str = "city", id_prefix: str = "city", most: int = PICKER_MOST
) -> SafeString:
    """Checkboxes for a city picker (templates/dashboard/includes/city_picker.html), the
    chosen cities ticked. ``cities``: CityStage rows or (slug, label) pairs; ``chosen``:
    CityStage rows or slugs. The chosen cities and then the first ``most`` others are
    listed; a longer list says how many more there are and how to reach them."""
    selected = {getattr(city, "slug", city) for city in chosen}
    pairs = [(c.slug, c.label) if hasattr(c, "slug") else c for c in cities]
    listed = [p for p in pairs if p[0] in selected]
    listed += [p for p in pairs if p[0] not in selected][: max(most - len(listed), 0)]
    more = len(pairs) - len(listed)
    items = "".join(
        f'<li class="picker__item"><input type="checkbox" name="{_cell(name)}"'
        f' value="{_cell(slug)}" id="{_cell(id_prefix)}-{_cell(slug)}"'
        f"{' checked' if slug in selected else ''}>"
        f'<label for="{_cell(id_prefix)}-{_cell(slug)}">{_cell(label)}</label></li>'
        for slug, label in listed
    )
    if more:
        items += (
            f'<li class="picker__more">and {more:,} more {"city" if more == 1 else "cities"}:'
            " narrow the filters (state, program, stage) to list them.</li>"
        )
    return mark_safe(items)


@register.filter
def city_label(city) -> str:
    """A city named once with its state: "Boston, MA", "Washington, D.C."."""
    return labels.city_label(city.name, city.state)


_JSON_SCRIPT_ESCAPES = (("&", "\\u0026"), ("<", "\\u003C"), (">", "\\u003E"))


@register.simple_tag
def figure_script(figure: dict, element_id: str) -> SafeString:
    """Like the json_script filter (same escaping, same DjangoJSONEncoder), but escapes with
    str.replace: json_script's str.translate takes ~10 ms on a 1,000-city figure."""
    text = json.dumps(figure, cls=DjangoJSONEncoder, separators=(",", ":"))
    for char, escaped in _JSON_SCRIPT_ESCAPES:
        text = text.replace(char, escaped)
    return mark_safe(
        f'<script id="{html.escape(element_id)}" type="application/json">{text}</script>'
    )
