from django import template

from compacts import roles, selectors

register = template.Library()


@register.filter
def is_lead(user) -> bool:
    return roles.is_lead(user)


@register.filter
def is_researcher(user) -> bool:
    return roles.is_researcher(user)


@register.simple_tag
def revision_log_for(city):
    """The city's public revision log (one query), for the city page partial."""
    return selectors.city_revision_log(city=city)


@register.filter
def is_funder(user) -> bool:
    return roles.is_funder(user)
