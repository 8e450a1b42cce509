"""Where a form sends people back to: the ``next`` it was given, only when that is a page of
this site. Every view that follows a ``next`` asks here (docs/hardening.md).

A page of this site is a path: it starts with one "/", names no other host or scheme
(Django's ``url_has_allowed_host_and_scheme``, which also refuses ``//evil.example`` and
``/\\evil.example``) and holds no control character (a newline would not fit in a
``Location`` header). Anything else, a URL name included, is ignored for the default.
"""

import unicodedata

from django.shortcuts import resolve_url
from django.utils.http import url_has_allowed_host_and_scheme

NEXT = "next"


def is_safe_next(request, url: str | None) -> bool:
    return bool(
        url
        and url.startswith("/")
        and not any(unicodedata.category(char).startswith("C") for char in url)
        and url_has_allowed_host_and_scheme(
            url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
    )


def next_url(request, default: str) -> str:
    """The request's ``next`` when it is a page of this site, else ``default`` (a URL or a
    URL name)."""
    url = requested_next(request)
    return url if is_safe_next(request, url) else resolve_url(default)


def requested_next(request) -> str | None:
    """The ``next`` a form posted, else the one in the address."""
    return request.POST.get(NEXT, request.GET.get(NEXT))


class SafeNextMixin:
    """For Django's sign-in and sign-out views: their ``next`` follows the same rule."""

    def get_redirect_url(self) -> str:
        url = requested_next(self.request)
        return url if is_safe_next(self.request, url) else ""
