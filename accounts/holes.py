"""The per-user parts of every page (caching/holes.py) and what decides which shared part a
signed-in visitor may be served (their roles)."""

from django.conf import settings
from django.middleware.csrf import get_token
from django.template.loader import render_to_string

from . import roles

# The header is the same for every visitor with the same roles and name but for its CSRF
# token: rendered once per process for each, with this slot where the token goes.
CSRF_SLOT = "csrftokenslot0000"
HEADERS_KEPT = 1_000
_headers: dict[tuple[str, str], str] = {}


def header(request) -> str:
    """The header and menu: the visitor's name, their role's links, a fresh CSRF token."""
    user = request.user
    key = (page_variant(user), user.get_username())
    html = _headers.get(key)
    if html is None:
        # What the header reads, nothing else: so it depends on the key alone.
        context = {"user": user, "csrf_token": CSRF_SLOT}
        html = render_to_string("includes/header.html", context)
        if not settings.DEBUG:  # in development a template edit shows at once
            if len(_headers) >= HEADERS_KEPT:
                _headers.clear()
            _headers[key] = html
    # Only a form asks for the token: an anonymous visitor's page sets no CSRF cookie.
    return html.replace(CSRF_SLOT, get_token(request)) if CSRF_SLOT in html else html


def messages(request) -> str:
    """The visitor's waiting messages (shown once: rendering them uses them up)."""
    return render_to_string("includes/messages.html", request=request)


def page_variant(user) -> str:
    """Which shared part of a page ``user`` may see: every role check a page's shared part
    or its view makes is one of these, so visitors with the same answers see the same part
    (a funder's dashboard links, a lead's release button, a funder-only page at all)."""
    if not user.is_authenticated:
        return "anonymous"
    checks = (roles.is_funder(user), roles.is_researcher(user), roles.is_lead(user))
    return "signed-in:" + "".join("1" if check else "0" for check in checks)
