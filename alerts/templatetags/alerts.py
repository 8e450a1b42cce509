from django import template

from caching.templatetags.holes import hole

register = template.Library()


@register.simple_tag(takes_context=True)
def watch_button(context, city):
    """A watch / stop-watching button for signed-in visitors: a per-user part of the city
    page (alerts/holes.py), filled in per request when the page's shared part is cached."""
    return hole(context, "watch", city=city.pk, slug=city.slug, name=city.name)
