"""Sign-in throttling with django-axes: whose IP address, and the page a lockout gets.

Settings (config/settings.py): LOGIN_FAILURE_LIMIT failures for one username from one IP
address lock that pair out for LOGIN_COOLOFF_MINUTES, on the site's and the admin's sign-in.
"""

import math

from django.conf import settings
from django.shortcuts import render

LOCKED_OUT = (
    "Too many failed sign-ins for this username from your network. "
    "Try again in {minutes} minutes, or reset your password."
)


def client_ip(request) -> str | None:
    """The client's IP address. Behind TRUSTED_PROXY_COUNT proxies, each of which appends
    the address it received the request from to X-Forwarded-For, the client is that many
    entries from the right: anything further left was written by the client and could be
    forged. With no trusted proxy the header is ignored."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR")


def cooloff_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def lockout_response(request, original_response=None, credentials=None):
    """429 with the sign-in page's look and a clear "try again in N minutes"."""
    context = {"message": LOCKED_OUT.format(minutes=cooloff_minutes())}
    return render(request, "registration/locked_out.html", context, status=429)
