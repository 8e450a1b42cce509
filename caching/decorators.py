"""Marking views whose anonymous responses may be cached whole."""

from collections.abc import Iterable
from functools import wraps


def public_page(view, query: Iterable[str] = ()):
    """The view shows only published data and the same page to every anonymous visitor:
    AnonymousPageCacheMiddleware may answer it from the cache. Never for pages with
    confidential data, per-user content or forms that post.

    ``query`` names every query parameter the view (and its template) reads. For a cached
    request the others are dropped before the view runs, and the cache key holds these
    in a fixed order: junk or reordered query strings share one entry (caching/keys.py).
    A parameter left out here is one the anonymous page ignores."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    wrapped.public_query = tuple(query)
    return wrapped


def shared_page(view, query: Iterable[str] = ()):
    """The view shows only published data, the same page to every signed-in visitor with the
    same roles apart from the per-user parts its template marks as holes (caching/holes.py):
    SharedPageCacheMiddleware may answer it from the cache. Never cached for anonymous
    visitors whole (compare and cohorts are for signed-in funders). ``query`` as for
    ``public_page``."""
    wrapped = public_page(view, query)
    wrapped.public_page = False
    wrapped.shared_page = True
    return wrapped
