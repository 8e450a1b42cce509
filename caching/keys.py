"""The one recipe for cache keys, used by the whole-page cache (middleware.py) and the
cached parts of pages (parts.py).

A key is the SHA-256 of what the cached answer depends on:

- the code version (a deploy never serves what the old code rendered),
- the public data's version (an entry is never older than the data),
- the month (pages that default to "as of this month" change when it does),
- and the caller's parts: for a whole page, the scheme and validated host (absolute links
  in sitemaps, feeds, embeds and the API's ``next`` name them), the path and the query
  string reduced to the parameters the view reads (``normal_query``).

No key when the data version is unknown: nothing is cached then.
"""

import hashlib
from collections.abc import Iterable, Mapping
from urllib.parse import urlencode

from .versions import code_version, current_month, data_version

NO_KEY = ""


def versioned_key(*parts: str, version: str | None = None) -> str:
    """The key of ``parts`` under the current code, data and month; NO_KEY when the data
    version is unknown. ``version``: the data version when this request has read it
    already (with the signed-in user, caching.auth), else it is read now."""
    if version is None:
        version = data_version()
    if not version:
        return NO_KEY
    recipe = "\x1f".join((code_version(), version, current_month(), *parts))
    return hashlib.sha256(recipe.encode()).hexdigest()


def normal_query(query: Mapping, known: Iterable[str]) -> str:
    """``query`` with only the ``known`` parameters, in a fixed (sorted) order, each with
    its values in the order given (a list of cities is ordered); anything else is dropped,
    so ``?zzz=1`` or a reordered query string is the same page."""
    pairs = []
    for name in sorted(set(known)):
        values = query.getlist(name) if hasattr(query, "getlist") else query.get(name, [])
        if isinstance(values, str):
            values = [values]
        pairs.extend((name, value) for value in values)
    return urlencode(pairs)


def page_key(request, known: Iterable[str]) -> str:
    """A whole page's key: scheme, validated host (``get_host`` refuses hosts outside
    ALLOWED_HOSTS), path and the known query parameters."""
    origin = f"{request.scheme}://{request.get_host()}"
    return versioned_key("page", origin, request.path, normal_query(request.GET, known))


def part_key(scope: str, key: str) -> str:
    """A part's key: the page it belongs to (``scope``) and what selects its data."""
    return versioned_key("part", scope, key)
