"""How to cite a page or a release: plain text and BibTeX, naming the release and a
permalink.

A citation is kept as parts, each either plain text or a date (``"year"``, ``"long"``,
``"iso"``), so the page can mark the dates and static/js/cite-date.js can write the
visitor's own date into a page that was cached on an earlier day.
"""

import datetime
from dataclasses import dataclass

from django.utils.html import conditional_escape, format_html
from django.utils.safestring import SafeString, mark_safe

AUTHOR = "Compact Tracker"

Part = tuple[str, str]  # (text, "" or the date form it shows)


@dataclass(frozen=True)
class Citation:
    plain_parts: tuple[Part, ...]
    bibtex_parts: tuple[Part, ...]

    @property
    def plain(self) -> str:
        return "".join(text for text, _ in self.plain_parts)

    @property
    def bibtex(self) -> str:
        return "".join(text for text, _ in self.bibtex_parts)

    @property
    def plain_html(self) -> SafeString:
        return _marked(self.plain_parts)

    @property
    def bibtex_html(self) -> SafeString:
        return _marked(self.bibtex_parts)


def _marked(parts: tuple[Part, ...]) -> SafeString:
    # Every part is escaped here, the dates by format_html.
    return mark_safe(
        "".join(
            format_html('<span data-cite-date="{}">{}</span>', form, text)
            if form
            else str(conditional_escape(text))
            for text, form in parts
        )
    )


def cite(
    *,
    title: str,
    url: str,
    release_number: str | None,
    accessed: datetime.date,
    changed_since_release: bool = False,
) -> Citation:
    """Cite ``url`` as retrieved on ``accessed``. With a release and no change since it,
    the citation names that release as the data's edition; when the data changed after it
    (``changed_since_release``), it cites the live data and says it changed since then."""
    live = bool(release_number and changed_since_release)
    year: Part = (str(accessed.year), "year")
    if live:
        edition = f", live data changed since data release {release_number}"
        note = f"Live data, changed since data release {release_number}"
        live_key = f"compacttracker_live_since_{release_number}".replace(".", "_")
        key: tuple[Part, ...] = ((live_key, ""),)
    elif release_number:
        edition = f", data release {release_number}"
        note = f"Data release {release_number}"
        key = (("compacttracker_" + release_number.replace(".", "_"), ""),)
    else:
        edition = note = ""
        key = (("compacttracker_", ""), year)
    plain = (
        (f"{AUTHOR} (", ""),
        year,
        (f"). {title}{edition}. Retrieved ", ""),
        (f"{accessed:%-d %B %Y}", "long"),
        (f" from {url}", ""),
    )
    bibtex = (
        ("@misc{", ""),
        *key,
        (f",\n  title = {{{title}}},\n  author = {{{{{AUTHOR}}}}},\n  year = {{", ""),
        year,
        ("}", ""),
        *([(f",\n  note = {{{note}}}", "")] if note else []),
        (f",\n  url = {{{url}}},\n  urldate = {{", ""),
        (accessed.isoformat(), "iso"),
        ("}\n}", ""),
    )
    return Citation(plain_parts=plain, bibtex_parts=bibtex)
