"""Role checks for templates: the site header and pages show links by role."""

from django import template

from accounts import roles

register = template.Library()


@register.filter
def is_lead(user) -> bool:
    return roles.is_lead(user)


@register.filter
def is_researcher(user) -> bool:
    return roles.is_researcher(user)


@register.filter
def is_funder(user) -> bool:
    return roles.is_funder(user)
