from django import template

from caching import holes

register = template.Library()


@register.simple_tag(takes_context=True)
def hole(context, hole_name: str, **args):
    """A per-user part of a page (caching/holes.py): a marker when the page's shared part is
    being rendered for the cache, the part itself otherwise."""
    request = context.get("request")
    args = {key: str(value) for key, value in args.items()}
    if request is not None and holes.punching(request):
        return holes.marker(hole_name, args)
    return holes.render(hole_name, request, args)
