"""The workspace's filter forms."""

from html import escape

from django import template
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag
def city_options(cities, chosen: str = ""):
    """A city select's options from (slug, label) pairs ("All cities", then each city,
    ``chosen`` selected), joined
    in Python with the standard library's escaping (quotes included): a template loop, or
    format_html per option, cost the list page tens of ms for a thousand cities."""
    options = "".join(
        f'<option value="{escape(slug)}"{" selected" if slug == chosen else ""}>'
        f"{escape(label)}</option>"
        for slug, label in cities
    )
    return mark_safe(f'<option value="">All cities</option>{options}')
