"""The expensive parts of a page (aggregates, figure data) cached for the visitors whose
whole page cannot be (signed-in users), under the same data and code versions."""

from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from .keys import NO_KEY, part_key

T = TypeVar("T")


class Parts:
    """One page's parts. The data version is read once, at the first part asked for."""

    def __init__(self, scope: str, key: str):
        self._scope = scope
        self._key = key
        self._prefix: str | None = None

    def get(self, name: str, build: Callable[[], T]) -> T:
        if not settings.PAGE_CACHE:
            return build()
        if self._prefix is None:
            key = part_key(self._scope, self._key)
            self._prefix = f"part:{key}" if key != NO_KEY else ""
        if not self._prefix:
            return build()
        cache = caches[settings.PAGE_CACHE_ALIAS]
        return cache.get_or_set(f"{self._prefix}:{name}", build, settings.PAGE_CACHE_SECONDS)
