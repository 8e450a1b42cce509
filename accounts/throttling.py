"""Sign-in throttling with django-axes: whose IP address, and the page a lockout gets.

Settings (config/settings.py): LOGIN_FAILURE_LIMIT failures for one username from one IP
address lock that pair out for LOGIN_COOLOFF_MINUTES, on the site's and the admin's sign-in.
"""

import ipaddress
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
    forged. With no trusted proxy the header is ignored.

    An entry that is not an IP address (a misconfigured proxy, or a request that went round
    it) counts as no address: the sign-in is throttled on the address that connected, never
    less strictly, and nothing that is not an address reaches the lockout table."""
    count = settings.TRUSTED_PROXY_COUNT
    if count:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        hops = [hop for hop in hops if hop]
        if len(hops) >= count and _is_ip_address(hops[-count]):
            return hops[-count]
    remote = request.META.get("REMOTE_ADDR")
    return remote if remote and _is_ip_address(remote) else None


def _is_ip_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def cooloff_minutes() -> int:
    return math.ceil(settings.AXES_COOLOFF_TIME.total_seconds() / 60)


def lockout_response(request, original_response=None, credentials=None):
    """429 with the sign-in page's look and a clear "try again in N minutes"."""
    context = {"message": LOCKED_OUT.format(minutes=cooloff_minutes())}
    return render(request, "registration/locked_out.html", context, status=429)
