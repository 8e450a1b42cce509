"""Pages for visitors the anonymous cache cannot answer (signed in, or carrying a CSRF or
messages cookie): the shared part from the cache, the per-user parts filled in per request.

A public page (``public_page``) or a signed-in page with no confidential data
(``shared_page``: compare, cohorts) is rendered once per key with its per-user parts left
as markers (caching/holes.py); the key is the whole-page key's (caching/keys.py: URL
normalised, host, data version, month, code version) plus the visitor's *variant*: the
answers to every role check the page or its view makes (settings.PAGE_VARIANT), so a
funder-only page or a lead's button reaches only visitors who pass the same checks. Each
request then fills the markers for its own user: the header with their name and a fresh
CSRF token, their messages, their watch button.

Never stored: a response that is not 200, sets a cookie, says no-store, or used the CSRF
token outside a hole (it would hand one visitor's token to others). Workspace pages are
neither public nor shared and never reach the cache.
"""

from django.conf import settings
from django.contrib.auth.middleware import get_user
from django.core.cache import caches
from django.http import HttpResponse, QueryDict
from django.urls import Resolver404, resolve
from django.utils.module_loading import import_string

from . import holes
from .keys import NO_KEY, normal_query, versioned_key
from .middleware import MESSAGES_COOKIE, AnonymousPageCacheMiddleware

CSRF_USED = "CSRF_COOKIE_NEEDS_UPDATE"  # set by django.middleware.csrf.get_token


def is_shareable(view) -> bool:
    return getattr(view, "public_page", False) or getattr(view, "shared_page", False)


class SharedPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]
        self.variant = import_string(settings.PAGE_VARIANT)

    def __call__(self, request):
        view = self._shared_view(request)
        if view is None:
            return self.get_response(request)
        # The user itself, not the lazy stand-in: the key and every hole read it many times.
        request.user = get_user(request)
        known = getattr(view, "public_query", ())
        query = normal_query(request.GET, known)
        origin = f"{request.scheme}://{request.get_host()}"
        variant = request.page_variant = self.variant(request.user)
        # Read with the signed-in user in the same query (caching.auth), else now.
        version = getattr(request.user, "data_version", None)
        key = versioned_key("shared", variant, origin, request.path, query, version=version)
        if key == NO_KEY:
            return self.get_response(request)
        # The view sees exactly what the key holds (as for anonymous pages).
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        cached = self.cache.get(f"shared:{key}")
        if cached is not None:
            status, content_type, pieces, headers = cached
            response = HttpResponse(
                holes.fill_split(pieces, request), status=status, content_type=content_type
            )
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        token_used_before = request.META.get(CSRF_USED, False)
        request.META[CSRF_USED] = False
        request.punch_holes = True
        try:
            response = self.get_response(request)
            if hasattr(response, "render") and not response.is_rendered:
                response.render()  # a TemplateResponse renders here, with holes as markers
        finally:
            request.punch_holes = False
        token_in_shared_part = request.META.get(CSRF_USED, False)
        request.META[CSRF_USED] = token_used_before or token_in_shared_part
        if response.streaming:
            return response
        # Cut at its markers once, so a hit fills the holes without scanning the page.
        pieces = holes.split(response.content)
        if self._storable(response) and not token_in_shared_part:
            headers = [(name, value) for name, value in response.items() if name != "Content-Type"]
            self.cache.set(
                f"shared:{key}",
                (response.status_code, response["Content-Type"], pieces, headers),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Cache"] = "miss"
        response.content = holes.fill_split(pieces, request)
        return response

    @staticmethod
    def _shared_view(request):
        """The view this request's shared part may come from the cache for, else None.
        Requests without the cookies that change a page are the anonymous cache's."""
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return None
        private = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, MESSAGES_COOKIE)
        if not any(name in request.COOKIES for name in private):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match.func if is_shareable(match.func) else None

    _storable = staticmethod(AnonymousPageCacheMiddleware._cacheable_response)
