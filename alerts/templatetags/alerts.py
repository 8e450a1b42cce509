from django import template
from django.urls import reverse

from alerts.models import Watch

register = template.Library()


@register.inclusion_tag("alerts/includes/watch_button.html", takes_context=True)
def watch_button(context, city):
    """A watch / stop-watching button for signed-in visitors (one query), or, for an
    account without an email address, what is missing and who can add it."""
    request = context["request"]
    user = request.user
    watching = user.is_authenticated and Watch.objects.filter(user=user, city=city).exists()
    fix_url = ""
    if user.is_staff and not user.email and user.has_perm("auth.change_user"):
        fix_url = reverse("admin:auth_user_change", args=[user.pk])
    return {
        "city": city,
        "user": user,
        "watching": watching,
        "request": request,
        "fix_url": fix_url,
    }
