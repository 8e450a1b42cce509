from django import template

from alerts.models import Watch

register = template.Library()


@register.inclusion_tag("alerts/includes/watch_button.html", takes_context=True)
def watch_button(context, city):
    """A watch / stop-watching button for signed-in visitors (one query)."""
    user = context["request"].user
    watching = user.is_authenticated and Watch.objects.filter(user=user, city=city).exists()
    return {"city": city, "user": user, "watching": watching, "request": context["request"]}
