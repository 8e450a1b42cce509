"""Holes: the per-user parts of a page whose shared part is cached for every visitor with the
same roles (caching/shared.py).

A template marks a per-user part with ``{% hole "name" key=value %}`` (caching/templatetags).
Rendered for the shared cache, the tag writes a marker instead; each request then fills the
markers with the parts rendered for its own user (the header with their name and a fresh
CSRF token, their messages, their watch button). Rendered directly, the tag calls the same
function, so a page is the same cached or not.

The functions are named in settings.PAGE_HOLES (name: dotted path), so this module imports
no app: each takes the request and the marker's string arguments and returns HTML.
"""

import functools
import re
from urllib.parse import parse_qsl, urlencode

from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import SafeString, mark_safe

MARKER = re.compile(rb"<!--page-hole ([a-z_]+) ([^>]*?)-->")


@functools.cache
def _renderer(name: str):
    return import_string(settings.PAGE_HOLES[name])


def render(name: str, request, args: dict[str, str]) -> SafeString:
    return mark_safe(_renderer(name)(request, **args))


def marker(name: str, args: dict[str, str]) -> SafeString:
    # urlencode leaves no "-", ">" or space unescaped: the marker ends where it should.
    return mark_safe(f"<!--page-hole {name} {urlencode(args).replace('-', '%2D')}-->")


def punching(request) -> bool:
    """Whether ``request`` is rendering a page's shared part (holes become markers)."""
    return getattr(request, "punch_holes", False)


def split(content: bytes) -> tuple:
    """``content`` cut at its markers, once, when a shared part is stored: the text between
    them (bytes) and each marker as (name, args), in order. ``fill_split`` joins them."""
    pieces: list = []
    position = 0
    for match in MARKER.finditer(content):
        pieces.append(content[position : match.start()])
        pieces.append((match[1].decode(), dict(parse_qsl(match[2].decode()))))
        position = match.end()
    pieces.append(content[position:])
    return tuple(pieces)


def fill_split(pieces: tuple, request) -> bytes:
    """The page of ``split`` pieces with every marker's part rendered for ``request``: no
    scan of the page on each request."""
    return b"".join(
        piece if isinstance(piece, bytes) else render(piece[0], request, piece[1]).encode()
        for piece in pieces
    )
