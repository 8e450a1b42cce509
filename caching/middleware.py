"""Whole responses for anonymous visitors, served before sessions and authentication.

A request to a view marked ``public_page`` without the cookies that change a page
(session, CSRF, messages) is answered from the cache when a response for the same key is
there: the host, the path, the query parameters the view reads, the data version and the
month (caching/keys.py). Otherwise the view runs, seeing only those query parameters, and
its response is stored if it set no cookie. Every such response carries an ETag made of
the key, so browsers and CDNs revalidate and get 304 while nothing changed. Requests with
a session cookie (signed-in users) always reach the view; other cookies (analytics, junk)
change nothing.
"""

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified, QueryDict
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from .keys import NO_KEY, normal_query, page_key

CACHE_CONTROL = "public, no-cache"  # store, but revalidate every time (ETag)
# The cookies a public page can depend on: who is signed in, the CSRF token in a form, and
# a message waiting to be shown (stored in a cookie first). Any other cookie is ignored.
MESSAGES_COOKIE = CookieStorage.cookie_name


def is_public_page(view) -> bool:
    return getattr(view, "public_page", False)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request):
        view = self._cacheable_view(request)
        if view is None:
            return self.get_response(request)
        known = getattr(view, "public_query", ())
        key = page_key(request, known)
        if key == NO_KEY:
            return self.get_response(request)
        # The view sees exactly what the key holds, so the stored page is the key's page
        # (a dropped parameter can never be echoed into links served to others).
        query = normal_query(request.GET, known)
        request.META["QUERY_STRING"] = query
        request.GET = QueryDict(query)
        etag = f'"{key[:32]}"'
        if etag in request.headers.get("If-None-Match", ""):
            return self._not_modified(etag)
        cached = self.cache.get(f"page:{key}")
        if cached is not None:
            status, content_type, content, headers = cached
            response = HttpResponse(content, status=status, content_type=content_type)
            for name, value in headers:
                response[name] = value
            response["X-Cache"] = "hit"
            return response
        response = self.get_response(request)
        if self._cacheable_response(response):
            self._mark(response, etag)
            headers = [(name, value) for name, value in response.items() if name != "Content-Type"]
            self.cache.set(
                f"page:{key}",
                (response.status_code, response["Content-Type"], response.content, headers),
                settings.PAGE_CACHE_SECONDS,
            )
            response["X-Cache"] = "miss"
        return response

    @staticmethod
    def _cacheable_view(request):
        """The public view this request may be answered for from the cache, else None."""
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD"):
            return None
        private = (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, MESSAGES_COOKIE)
        if any(name in request.COOKIES for name in private):
            return None
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
        return match.func if is_public_page(match.func) else None

    @staticmethod
    def _cacheable_response(response) -> bool:
        return (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "no-store" not in response.get("Cache-Control", "")
        )

    @staticmethod
    def _mark(response, etag: str) -> None:
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        # A signed-in visitor's page differs; shared caches must key on the cookie.
        patch_vary_headers(response, ["Cookie"])

    @staticmethod
    def _not_modified(etag: str):
        response = HttpResponseNotModified()
        response["ETag"] = etag
        response["Cache-Control"] = CACHE_CONTROL
        response["Vary"] = "Cookie"
        return response
