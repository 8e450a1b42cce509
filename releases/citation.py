"""How to cite a page or a release: plain text and BibTeX, naming the release and a
permalink."""

import datetime
from dataclasses import dataclass

AUTHOR = "Compact Tracker"


@dataclass(frozen=True)
class Citation:
    plain: str
    bibtex: str


def cite(*, title: str, url: str, release_number: str | None, accessed: datetime.date) -> Citation:
    year = accessed.year
    edition = f", data release {release_number}" if release_number else ""
    plain = f"{AUTHOR} ({year}). {title}{edition}. Retrieved {accessed:%-d %B %Y} from {url}"
    key = "compacttracker_" + (release_number or str(year)).replace(".", "_")
    fields = [
        ("title", f"{{{title}}}"),
        ("author", f"{{{{{AUTHOR}}}}}"),
        ("year", f"{{{year}}}"),
        *([("note", f"{{Data release {release_number}}}")] if release_number else []),
        ("url", f"{{{url}}}"),
        ("urldate", f"{{{accessed.isoformat()}}}"),
    ]
    bibtex = "@misc{" + key + ",\n" + ",\n".join(f"  {k} = {v}" for k, v in fields) + "\n}"
    return Citation(plain=plain, bibtex=bibtex)
