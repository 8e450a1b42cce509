"""The per-user parts of every page (caching/holes.py) and what decides which shared part a
signed-in visitor may be served (their roles)."""

from django.contrib.messages import get_messages
from django.template.loader import render_to_string

from common.rendered_once import RenderedOnce

from . import roles

# The header is the same for every visitor with the same roles and name but for its CSRF
# token: rendered once per process for each.
_headers = RenderedOnce()


def header(request) -> str:
    """The header and menu: the visitor's name, their role's links, a fresh CSRF token."""
    user = request.user
    # What the header reads, nothing else: so it depends on the key alone.
    # The variant the shared-part middleware keyed this page on, else worked out here.
    variant = getattr(request, "page_variant", None) or page_variant(user)
    return _headers.get(
        request,
        (variant, user.get_username()),
        lambda token: render_to_string("includes/header.html", {"user": user, "csrf_token": token}),
    )


def messages(request) -> str:
    """The visitor's waiting messages (shown once: rendering them uses them up); nothing to
    render on most requests, which have none."""
    if not get_messages(request):
        return ""
    return render_to_string("includes/messages.html", request=request)


def page_variant(user) -> str:
    """Which shared part of a page ``user`` may see: every role check a page's shared part
    or its view makes is one of these, so visitors with the same answers see the same part
    (a funder's dashboard links, a lead's release button, a funder-only page at all)."""
    if not user.is_authenticated:
        return "anonymous"
    checks = (roles.is_funder(user), roles.is_researcher(user), roles.is_lead(user))
    return "signed-in:" + "".join("1" if check else "0" for check in checks)
