"""Marking views whose anonymous responses may be cached whole."""

from functools import wraps


def public_page(view):
    """The view shows only published data and the same page to every anonymous visitor:
    AnonymousPageCacheMiddleware may answer it from the cache. Never for pages with
    confidential data, per-user content or forms that post."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        return view(request, *args, **kwargs)

    wrapped.public_page = True
    return wrapped
