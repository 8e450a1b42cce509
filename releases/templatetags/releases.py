from django import template
from django.utils import timezone

from releases import selectors
from releases.citation import cite
from releases.models import Release

register = template.Library()


@register.inclusion_tag("releases/includes/cite_box.html", takes_context=True)
def cite_box(context, title: str, release: Release | None = None):
    """The "Cite this" box: the page's permalink and the release it can be cited with (the
    given one on a release page, else the newest).

    When public data changed after the newest release (selectors.newest_release_to_cite),
    the page may show what that release does not hold: the box then cites the live data
    with the date it was retrieved and names the release separately, never as the data's
    edition. A given release is the page's own frozen data, so it never changed since.
    The date is the server's; on a page served from the cache on a later day,
    static/js/cite-date.js writes the visitor's date over it.
    """
    request = context["request"]
    if release is None:
        release = selectors.newest_release_to_cite()
    changed = bool(release is not None and getattr(release, "changed_since", False))
    url = context.get("permalink") or request.build_absolute_uri(request.get_full_path())
    accessed = timezone.localdate()
    return {
        "citation": cite(
            title=title,
            url=url,
            release_number=release.number if release else None,
            accessed=accessed,
            changed_since_release=changed,
        ),
        "release": release,
        "changed": changed,
        "accessed": accessed,
        "url": url,
    }
