from django import template

register = template.Library()


@register.filter
def get(mapping: dict, key):
    """``mapping[key]``, or None: a template cannot index a dict by a variable."""
    return mapping.get(key) if mapping else None
