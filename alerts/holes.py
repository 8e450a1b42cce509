"""The watch button as a per-user part of a city page (caching/holes.py)."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse

from common.rendered_once import RenderedOnce

from .models import Watch

_buttons = RenderedOnce()


def watch_button(request, *, city: str, slug: str, name: str) -> str:
    """Watch or stop watching, or, for an account without an email address, what is missing
    and who can add it; nothing for anonymous visitors. Whether the visitor watches the city
    comes with the signed-in user (caching.auth), else one query."""
    user = request.user
    if not user.is_authenticated:
        return ""
    fix_url = ""
    if user.is_staff and not user.email and user.has_perm("auth.change_user"):
        fix_url = reverse("admin:auth_user_change", args=[user.pk])
    watched = getattr(user, "watched_city_ids", None)
    if watched is not None:
        watching = int(city) in watched
    else:
        watching = Watch.objects.filter(user=user, city_id=int(city)).exists()
    path = request.get_full_path()
    context = {
        "city": SimpleNamespace(pk=int(city), slug=slug, name=name),
        "user": SimpleNamespace(is_authenticated=True, email=bool(user.email)),
        "watching": watching,
        "fix_url": fix_url,
        "request": SimpleNamespace(get_full_path=path),
    }

    def render(token: str) -> str:
        return render_to_string(
            "alerts/includes/watch_button.html", {**context, "csrf_token": token}
        )

    # The key holds everything the template reads.
    key = (city, slug, name, watching, bool(user.email), fix_url, path)
    return _buttons.get(request, key, render)
