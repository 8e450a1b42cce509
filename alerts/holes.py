"""The watch button as a per-user part of a city page (caching/holes.py)."""

from types import SimpleNamespace

from django.template.loader import render_to_string
from django.urls import reverse

from .models import Watch


def watch_button(request, *, city: str, slug: str, name: str) -> str:
    """Watch or stop watching (one query), or, for an account without an email address,
    what is missing and who can add it; nothing for anonymous visitors."""
    user = request.user
    if not user.is_authenticated:
        return ""
    fix_url = ""
    if user.is_staff and not user.email and user.has_perm("auth.change_user"):
        fix_url = reverse("admin:auth_user_change", args=[user.pk])
    context = {
        "city": SimpleNamespace(pk=int(city), slug=slug, name=name),
        "user": user,
        "watching": Watch.objects.filter(user=user, city_id=int(city)).exists(),
        "fix_url": fix_url,
    }
    return render_to_string("alerts/includes/watch_button.html", context, request=request)
