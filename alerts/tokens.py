"""Unsubscribe links: signed, timestamped, and tied to the subscription's version.

A token names the user and the subscription's version when it was made. Each subscribe and
unsubscribe bumps the version, so a link from an older email does nothing after the user
subscribed again; and a link works UNSUBSCRIBE_MAX_AGE after it was made.
"""

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse

from .models import Subscription

UNSUBSCRIBE_SALT = "alerts.unsubscribe"
# An unsubscribe link works this long; an expired one still offers a way out.
UNSUBSCRIBE_MAX_AGE = datetime.timedelta(days=90)


def unsubscribe_token(subscription: Subscription) -> str:
    return signing.dumps(
        {"user": subscription.user_id, "version": subscription.version}, salt=UNSUBSCRIBE_SALT
    )


def unsubscribe_url(subscription: Subscription) -> str:
    site = settings.SITE_URL.rstrip("/")
    return site + reverse("alerts:unsubscribe", args=[unsubscribe_token(subscription)])


def read_unsubscribe_token(token: str) -> tuple[int, int]:
    """The (user id, version) a token names. Raises signing.SignatureExpired after
    UNSUBSCRIBE_MAX_AGE and signing.BadSignature for anything else that is not ours
    (tokens from before versions, which named only the user, included)."""
    data = signing.loads(token, salt=UNSUBSCRIBE_SALT, max_age=UNSUBSCRIBE_MAX_AGE)
    if not (
        isinstance(data, dict)
        and isinstance(data.get("user"), int)
        and isinstance(data.get("version"), int)
    ):
        raise signing.BadSignature("Not an unsubscribe token of this version")
    return data["user"], data["version"]
