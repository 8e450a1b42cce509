"""A source's text from what a researcher gives: a UTF-8 text file, a PDF (its text layer,
read with pypdf) or pasted text. Quotes are then checked against it (``sources.matching``).

A PDF is never read in a web request: a small file can hold enough compressed drawing
operators to keep pypdf busy for minutes. ``sources.reading`` reads it in a child process
with limits, on the worker (``sources.tasks``). Nothing here imports Django, so that child
starts quickly."""

from __future__ import annotations

import io

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
TOO_LARGE = "The file is larger than 10 MB."
NOT_TEXT = "The file is neither UTF-8 text nor a PDF."
NO_TEXT_LAYER = "The PDF has no text layer (a scan?): paste the text instead."
UNREADABLE_PDF = "The PDF could not be read: {error}"
TEXT_TOO_LONG = "Its text is longer than {limit:,} characters."
TOO_MANY_OPERATORS = (
    "Page {page} has more than {limit:,} text operators (a normal page has a few thousand)."
)
MAX_TEXT_CHARS = 20_000_000
# Room for "uploaded file " before a name in Source.text_origin (200 characters).
MAX_FILENAME_CHARS = 180


class TextUnavailable(ValueError):
    """The upload gave no usable text; the message says why."""


def extract_text(*, name: str, data: bytes, max_page_operators: int = 0) -> str:
    """The text of an uploaded file: a PDF's pages joined by blank lines, or UTF-8 text.

    With ``max_page_operators``, a PDF with a page of more text-showing operators than that
    is refused before any is run (counting them takes a fraction of a second; running a
    million of them takes pypdf minutes)."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise TextUnavailable(TOO_LARGE)
    if is_pdf(name=name, data=data):
        return _pdf_text(data, max_page_operators=max_page_operators)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise TextUnavailable(NOT_TEXT) from exc
    if "\x00" in text:
        raise TextUnavailable(NOT_TEXT)
    return text


def is_pdf(*, name: str, data: bytes) -> bool:
    return data.startswith(b"%PDF") or name.lower().endswith(".pdf")


def short_filename(name: str, limit: int = MAX_FILENAME_CHARS) -> str:
    """``name`` cut to ``limit`` characters, keeping its extension (``….pdf``)."""
    if len(name) <= limit:
        return name
    stem, dot, extension = name.rpartition(".")
    if not dot or not stem or len(extension) > 10:
        return name[: limit - 1] + "…"
    return stem[: limit - len(extension) - 2] + "…." + extension


def _pdf_text(data: bytes, *, max_page_operators: int) -> str:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(io.BytesIO(data))
        if max_page_operators:
            for number, page in enumerate(reader.pages, start=1):
                contents = page.get_contents()
                stream = contents.get_data() if contents is not None else b""
                # Tj and TJ show text; a count of their bytes is an upper bound.
                if stream.count(b"Tj") + stream.count(b"TJ") > max_page_operators:
                    raise TextUnavailable(
                        TOO_MANY_OPERATORS.format(page=number, limit=max_page_operators)
                    )
        pages = [page.extract_text() or "" for page in reader.pages]
    except TextUnavailable:
        raise
    except (PyPdfError, ValueError, KeyError, OSError) as exc:
        raise TextUnavailable(UNREADABLE_PDF.format(error=exc)) from exc
    text = "\n\n".join(p.strip() for p in pages if p.strip())
    if not text:
        raise TextUnavailable(NO_TEXT_LAYER)
    if len(text) > MAX_TEXT_CHARS:
        raise TextUnavailable(TEXT_TOO_LONG.format(limit=MAX_TEXT_CHARS))
    return text.replace("\x00", "")
