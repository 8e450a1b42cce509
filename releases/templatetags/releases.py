from django import template
from django.utils import timezone

from releases.citation import cite
from releases.models import Release

register = template.Library()


@register.inclusion_tag("releases/includes/cite_box.html", takes_context=True)
def cite_box(context, title: str, release: Release | None = None):
    """The "Cite this" box: the page's permalink and the release it can be cited with (the
    given one on a release page, else the newest)."""
    request = context["request"]
    if release is None:
        release = Release.objects.only("number").first()
    url = context.get("permalink") or request.build_absolute_uri(request.get_full_path())
    return {
        "citation": cite(
            title=title,
            url=url,
            release_number=release.number if release else None,
            accessed=timezone.localdate(),
        ),
        "release": release,
        "url": url,
    }
