"""Per-user parts of a page (the header, the watch button; caching/holes.py) rendered once
per process for what they depend on, with each request's CSRF token slotted in."""

from collections.abc import Callable, Hashable

from django.conf import settings
from django.middleware.csrf import get_token

# Where a part rendered once for many requests has its CSRF token (each request's own).
CSRF_SLOT = "csrftokenslot0000"


class RenderedOnce:
    """A per-user part rendered once per process for each ``key`` (which must name all the
    part reads), with each request's fresh CSRF token slotted in: the header, the watch
    button. Rendered anew each time in development, so a template edit shows at once."""

    def __init__(self, kept: int = 1_000):
        self._kept = kept
        self._parts: dict[Hashable, str] = {}

    def get(self, request, key: Hashable, render: Callable[[str], str]) -> str:
        """The part for ``key``; ``render(csrf_token)`` renders it (with CSRF_SLOT)."""
        html = self._parts.get(key)
        if html is None:
            html = render(CSRF_SLOT)
            if not settings.DEBUG:
                if len(self._parts) >= self._kept:
                    self._parts.clear()
                self._parts[key] = html
        # Only a form asks for the token: a page without one sets no CSRF cookie.
        return html.replace(CSRF_SLOT, _token(request)) if CSRF_SLOT in html else html


def _token(request) -> str:
    """One masked CSRF token for all of a request's parts (masking one costs 32 random
    draws; any masked form of the visitor's secret is accepted)."""
    token = getattr(request, "_rendered_once_token", None)
    if token is None:
        token = request._rendered_once_token = get_token(request)
    return token
