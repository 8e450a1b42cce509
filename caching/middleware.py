"""Whole responses for anonymous visitors, served before sessions and authentication.

A request without cookies to a view marked ``public_page`` is answered from the cache
when a response for the same URL, data version and month is there; otherwise the view
runs and its response is stored if it set no cookie. Every such response carries an ETag
made of the same parts, so browsers and CDNs revalidate and get 304 while nothing changed.
Requests with a session cookie (signed-in users) always reach the view.
"""

import hashlib

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse, HttpResponseNotModified
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers

from .versions import code_version, current_month, data_version

CACHE_CONTROL = "public, no-cache"  # store, but revalidate every time (ETag)


def is_public_page(view) -> bool:
    return getattr(view, "public_page", False)


class AnonymousPageCacheMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.cache = caches[settings.PAGE_CACHE_ALIAS]

    def __call__(self, request):
        if not self._cacheable_request(request):
            return self.get_response(request)
        version = data_version()
        if not version:
            return self.get_response(request)
        parts = f"{code_version()}:{version}:{current_month()}:{request.get_full_path()}"
        key = hashlib.sha256(parts.encode()).hexdigest()
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
    def _cacheable_request(request) -> bool:
        if not settings.PAGE_CACHE or request.method not in ("GET", "HEAD") or request.COOKIES:
            return False
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return False
        return is_public_page(match.func)

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
