"""The expensive parts of a page (aggregates, figure data) cached for the visitors whose
whole page cannot be (signed-in users), under the same data and code versions."""

import hashlib
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.core.cache import caches

from .versions import code_version, current_month, data_version

T = TypeVar("T")


class Parts:
    """One page's parts. The data version is read once, at the first part asked for."""

    def __init__(self, scope: str, key: str):
        self._scope = scope
        self._key = hashlib.sha256(key.encode()).hexdigest()[:32]
        self._prefix: str | None = None

    def get(self, name: str, build: Callable[[], T]) -> T:
        if not settings.PAGE_CACHE:
            return build()
        if self._prefix is None:
            version = data_version()
            self._prefix = (
                f"part:{code_version()}:{version}:{current_month()}:{self._scope}:{self._key}"
                if version
                else ""
            )
        if not self._prefix:
            return build()
        cache = caches[settings.PAGE_CACHE_ALIAS]
        return cache.get_or_set(f"{self._prefix}:{name}", build, settings.PAGE_CACHE_SECONDS)
