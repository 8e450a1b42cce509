"""Every value in the fixtures checked against the words of its own citations.

The seed refuses a record whose value its quotes do not support, naming the file, the
record, the field, the value and the quote. What "supports" means, by kind of value:

- **numbers, years and amounts** (a published figure's value, an initiative's figures
  and years, a Compact's signing grant, an event's year): the number is in one of its
  quotes, as digits ("23", "\\$100,000", "89 percent") or words ("nine", "a dozen",
  "twenty-three"). A figure given in words ("nearly half", "roughly a dozen") is its
  ``value_as_written`` found in a quote, and the number those words name (half, twelve)
  lies in the range its fixture infers (``range_low`` to ``range_high``).
- **counts inferred by counting a list** (a citation quoting a list's heading, e.g.
  "Signed in 2010:"): the value is the number of the list's entries.
- **signing years and the portfolio and funding flags**: the city's line in the
  January 2017 report's Fast Facts box (its "Signed in YEAR:" list, its ``P`` and ``*``
  markers) and its column in Table 1 of the lessons-learned brief (a tab-separated table
  whose cells hold HTML lists); every citation of the field must agree.
- **Figure 7 levels**: "Low Cost", "high-benefit" and the like in a citation of the field.
- **named lists of cities**: every city a published figure names is named in its quotes.
- **status years**: the year is in the status's quote, or it is the year of the cited
  document ("as of" the writing).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from sources.matching import normalise

UNSUPPORTED = "{field} = {value!r} is not supported by its quote{s}: {quotes}"
NO_QUOTE = "{field} = {value!r} has no citation whose quote could support it"
NOT_A_NUMBER = "{field} = {value!r} is not a number"

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90, "hundred": 100, "thousand": 1000,
    "dozen": 12, "half": Decimal("0.5"), "third": Decimal(1) / 3, "quarter": Decimal("0.25"),
    "once": 1, "twice": 2, "single": 1, "both": 2, "pair": 2,
}  # fmt: skip
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_HYPHENS = re.compile("[-\u2010\u2011\u2012\u2013\u2014]")
_AND_OTHERS = re.compile(r"\b(?:with|and) (\w+) others?\b")
_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)  # fmt: skip
_MONTHS = {name[:3]: number for number, name in enumerate(_MONTH_NAMES, start=1)}
# "23 - 11 - 7 - 2 = 3", read as written: normalising would drop the minus signs.
_SUM = re.compile(r"(\d+(?:\s*[-+]\s*\d+)+)\s*=\s*(\d+)")
_DIGITS = re.compile(r"(?<![\w.])\d[\d,]*(?:\.\d+)?")
_WORDS = re.compile(r"[a-z]+")
_COMPOUND = re.compile(
    rf"\b({'|'.join(_TENS)})[- ]?(one|two|three|four|five|six|seven|eight|nine)\b"
)
_LEVEL = re.compile(r"\b(low|high)[- ]?(cost|benefit)", re.IGNORECASE)
_MARKERS = re.compile(r"\^(?:\{([^}]*)\}|([A-Z*]+))\s*$")
_LIST_ITEM = re.compile(r"^\s*[-•]\s+(.*\S)\s*$")
_TABLE_ITEM = re.compile(r"\s*(.+?, [A-Z]{2})(?=\s|$)")


def numbers_in(text: str) -> set[Decimal]:
    """Every number ``text`` gives, as digits or in words ("Central Falls with 15 other
    cities" gives 15 and the 16 it adds up to)."""
    # Hyphens apart first: normalising joins "three-year" into one word.
    plain = normalise(_HYPHENS.sub(" ", text)).lower()
    found: set[Decimal] = set()
    for match in _DIGITS.finditer(plain):
        try:
            found.add(Decimal(match.group().rstrip(",").replace(",", "")))
        except InvalidOperation:
            continue
    for match in _COMPOUND.finditer(plain):
        found.add(Decimal(_UNITS[match.group(1)] + _UNITS[match.group(2)]))
    for word in _WORDS.findall(plain):
        if word in _UNITS:
            found.add(Decimal(_UNITS[word]))
        elif word.endswith("s") and word[:-1] in _UNITS and word[:-1] not in ("half", "third"):
            found.add(Decimal(_UNITS[word[:-1]]))  # "thousands", "dozens"
    for match in _AND_OTHERS.finditer(plain):
        counted = _decimal(match.group(1)) or _decimal(_UNITS.get(match.group(1)))
        if counted is not None:
            found.add(counted + 1)
    return found


def months_in(text: str) -> set[int]:
    """The months ``text`` names ("April", "Sept.")."""
    words = _WORDS.findall(normalise(_HYPHENS.sub(" ", text)).lower())
    return {_MONTHS[w[:3]] for w in words if w in _MONTH_NAMES or w in _MONTHS}


def count_listed(quote: str) -> int:
    """How many items a quoted list holds: parts separated by semicolons, or else by
    commas (a final "and" belongs to its item)."""
    separator = ";" if ";" in quote else ","
    return len([p for p in quote.split(separator) if p.strip()])


def _decimal(value) -> Decimal | None:
    if value is None or isinstance(value, bool) or value == "":
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation:
        return None


def _has(haystack: str, needle: str) -> bool:
    return normalise(needle).lower() in normalise(haystack).lower()


@dataclass
class Documents:
    """What the checks read from the documents: each source's text, year and the
    structures values are inferred from (the Fast Facts lists, Table 1)."""

    texts: dict[str, str]  # source key -> text ("" when we hold none)
    years: dict[str, int | None]  # source key -> publication year
    city_names: dict[str, list[str]] = field(default_factory=dict)  # slug -> names

    def fast_facts_line(self, source: str, quote: str) -> tuple[str, str] | None:
        """The list entry of a "Signed in YEAR:" style list holding ``quote``, and its
        heading; None if the quote is not on such a line."""
        text = self.texts.get(source, "")
        at = text.find(quote)
        if at < 0:
            return None
        start = text.rfind("\n", 0, at) + 1
        end = text.find("\n", at)
        line = text[start : end if end >= 0 else len(text)]
        if not _LIST_ITEM.match(line):
            return None
        heading = _list_heading(text, start)
        return (line, heading) if heading else None

    def list_entries(self, source: str, heading: str) -> list[str] | None:
        """The entries of the list under ``heading`` (a line ending in ":"), or None."""
        text = self.texts.get(source, "")
        at = text.find(heading)
        if at < 0 or not heading.rstrip().endswith(":"):
            return None
        entries = []
        for line in text[at + len(heading) :].split("\n")[1:]:
            item = _LIST_ITEM.match(line)
            if item:
                entries.append(item.group(1))
            elif line.strip():
                break
        return entries or None

    def table_column(self, source: str, quote: str) -> str | None:
        """The header of the tab-separated table column whose cell lists ``quote``."""
        lines = self.texts.get(source, "").split("\n")
        for number, line in enumerate(lines):
            if "\t" not in line or quote not in line:
                continue
            header = next(
                (h for h in reversed(lines[:number]) if "\t" in h and "<ul" not in h), None
            )
            if header is None:
                return None
            for column, cell in zip(header.split("\t"), line.split("\t"), strict=False):
                items = _TABLE_ITEM.findall(re.sub(r"<[^>]*>", " ", cell))
                if any(item.strip() == quote.strip() for item in items):
                    return column.strip()
        return None


def city_names(record: dict) -> list[str]:
    """The ways a city record may be named in a quote: its name and entity name, each also
    without its qualifier ("Franklin-McKinley (San Jose)" is also "Franklin-McKinley")."""
    names = [n for n in (record.get("name"), record.get("entity_name")) if n]
    short = [n.split(" (")[0].split(",")[0].strip() for n in names]
    return list(dict.fromkeys(names + short))


def _list_heading(text: str, line_start: int) -> str:
    """The line ending in ":" above the list that the line at ``line_start`` belongs to."""
    before = text[:line_start].split("\n")[:-1]
    for line in reversed(before):
        if not line.strip() or _LIST_ITEM.match(line):
            continue
        return line.strip() if line.strip().endswith(":") else ""
    return ""


class ValueCheck:
    """Checks one fixture record; ``problems`` lists what its quotes do not support."""

    def __init__(self, docs: Documents, file: str, record: dict) -> None:
        self.docs, self.file, self.record = docs, file, record
        self.problems: list[str] = []

    # ---------------------------------------------------------------- helpers
    @staticmethod
    def _cites(rec: dict, name: str | None = None, *, record_level: bool = True) -> list[dict]:
        cites = rec.get("citations") or []
        if name is None:
            return cites
        own = [c for c in cites if c.get("field") == name]
        if own or not record_level:
            return own
        return [c for c in cites if not c.get("field")]

    def _fail(self, where: str, name: str, value, cites: list[dict]) -> None:
        label = f"{where}{name}"
        if not cites:
            self.problems.append(NO_QUOTE.format(field=label, value=value))
            return
        quotes = "; ".join(f"“{' '.join(c.get('quote', '').split())[:160]}”" for c in cites)
        s = "s" if len(cites) > 1 else ""
        self.problems.append(UNSUPPORTED.format(field=label, value=value, s=s, quotes=quotes))

    def number(self, rec: dict, name: str, *, where: str = "", cites=None, year=False) -> None:
        """``rec[name]`` is a number one of its quotes gives; or, by an inference that
        says so, the number of entries in the list the quote heads or holds ("Counted
        ..."); or, for a year, the year an inferred citation's reasoning gives."""
        value = self._number_in(rec, name, where)
        if value is None:
            return
        cites = self._cites(rec, name) if cites is None else cites
        if not any(self._supports(c, value, year=year) for c in cites):
            self._fail(where, name, rec.get(name), cites)

    def _number_in(self, rec: dict, name: str, where: str) -> Decimal | None:
        """``rec[name]`` as a number; None when it is blank, or (said in the problems) when
        it is no number at all ("twenty-ten", a list)."""
        raw = rec.get(name)
        value = _decimal(raw)
        if value is None and raw not in (None, ""):
            self.problems.append(NOT_A_NUMBER.format(field=f"{where}{name}", value=raw))
        return value

    def _supports(self, c: dict, value: Decimal, *, year: bool = False) -> bool:
        quote = c.get("quote") or ""
        if value in numbers_in(quote):
            return True
        entries = self.docs.list_entries(c.get("source", ""), quote)
        if entries is not None and Decimal(len(entries)) == value:
            return True
        if c.get("provenance") != "inferred":
            return False
        reasoning = c.get("reasoning") or ""
        if "count" in reasoning.lower() and Decimal(count_listed(quote)) == value:
            return True
        return year and value in numbers_in(reasoning)

    def year_as_of(self, rec: dict, name: str, *, where: str = "") -> None:
        """A status year: in its quote (or an inference's reasoning), or the year of the
        document it cites."""
        value = _decimal(rec.get(name))
        if value is None:
            return
        cites = self._cites(rec, name)
        for c in cites:
            if self._supports(c, value, year=True) or self.docs.years.get(c.get("source")) == value:
                return
        self._fail(where, name, rec.get(name), cites)

    def date(self, rec: dict, name: str, precision: str, *, where: str = "") -> None:
        """A date's year (and month, when it is known to the month) in its quotes."""
        day = str(rec.get(name) or "")
        if not day or precision == "unknown":
            return
        cites = self._cites(rec, name)
        self.number({name: day[:4]}, name, cites=cites, where=where + "year of ", year=True)
        if precision in ("month", "day"):
            month = int(day[5:7])
            inferred = [c for c in cites if c.get("provenance") == "inferred"]
            said = any(month in months_in(c.get("quote") or "") for c in cites) or any(
                month in months_in(c.get("reasoning") or "") for c in inferred
            )
            if not said:
                self._fail(where + "month of ", name, day[:7], cites)

    # -------------------------------------------------------------- by file
    def run(self) -> list[str]:
        handler = getattr(self, "_" + self.file.removesuffix(".yaml"), None)
        if handler is not None:
            handler(self.record)
        return self.problems

    def _cities(self, rec: dict) -> None:
        compact = rec.get("compact")
        if not compact:
            return
        where = "compact."
        self.number(compact, "signing_grant_usd", where=where)
        self._signing_year(compact, where)
        self._marker(compact, "portfolio_at_signing", "P", where)
        self._marker(compact, "significant_funding", "*", where)

    def _signing_year(self, compact: dict, where: str) -> None:
        value = compact.get("signing_year")
        year = self._number_in(compact, "signing_year", where)
        if year is None:
            return
        cites = self._cites(compact, "signing_year", record_level=False)
        if not cites:
            self._fail(where, "signing_year", value, cites)
            return
        for c in cites:
            source, quote = c.get("source", ""), c.get("quote") or ""
            column = self.docs.table_column(source, quote)
            line = self.docs.fast_facts_line(source, quote)
            said = column if column is not None else (line[1] if line else quote)
            if year not in numbers_in(said):
                self._fail(where, "signing_year", value, [c])
                return

    def _marker(self, compact: dict, name: str, marker: str, where: str) -> None:
        value = compact.get(name)
        if value is None:
            return
        cites = self._cites(compact, name, record_level=False)
        lines = [(c, self.docs.fast_facts_line(c.get("source", ""), c.get("quote") or ""))
                 for c in cites]  # fmt: skip
        lines = [(c, line) for c, line in lines if line]
        if not lines:
            self._fail(where, name, value, cites)
            return
        for c, (line, _) in lines:
            found = _MARKERS.search(line)
            markers = (found.group(1) or found.group(2)) if found else ""
            if (marker in markers) != bool(value):
                self._fail(where, name, value, [c])
                return

    def _initiative_types(self, rec: dict) -> None:
        for name in ("cost", "benefit"):
            value = rec.get(name)
            if not value:
                continue
            cites = self._cites(rec, name, record_level=False)
            said = {
                level.lower()
                for c in cites
                for level, what in _LEVEL.findall(normalise(c.get("quote") or ""))
                if what.lower() == name
            }
            if said != {value}:
                self._fail("", name, value, cites)

    def _initiatives(self, rec: dict) -> None:
        for name in ("start_year", "end_year"):
            self.number(rec, name, year=True)
        for index, status in enumerate(rec.get("statuses") or []):
            self.year_as_of(status, "as_of_year", where=f"statuses[{index}].")
        for index, figure in enumerate(rec.get("figures") or []):
            where = f"figures[{index}] ({figure.get('metric')})."
            self.number(figure, "value", where=where)
            self.year_as_of(figure, "as_of_year", where=where)

    def _sources(self, rec: dict) -> None:
        self.date(rec, "known_no_earlier_than", "month")
        if rec.get("published_on"):
            self.date(rec, "published_on", rec.get("date_precision"))

    def _events(self, rec: dict) -> None:
        self.date(rec, "occurred_on", rec.get("date_precision"))

    def _published_figures(self, rec: dict) -> None:
        cites = self._cites(rec)
        if rec.get("kind") == "derived":
            self._derived(rec, cites)
            return
        words = (rec.get("value_as_written") or "").strip()
        low, high = _decimal(rec.get("range_low")), _decimal(rec.get("range_high"))
        if low is not None and high is not None:
            self._range(rec, words, low, high, cites)
        elif rec.get("value") is not None:
            self.number(rec, "value", cites=cites)
        elif words:
            self._words(rec, words, cites)
        self._named(rec, "named_cities", cites)

    def _research_findings(self, rec: dict) -> None:
        self._named(rec, "example_cities", self._cites(rec))

    def _named(self, rec: dict, name: str, cites: list[dict]) -> None:
        """Every city ``rec[name]`` lists is named in one of the quotes."""
        quotes = " ".join(c.get("quote") or "" for c in cites)
        for slug in rec.get(name) or []:
            known = self.docs.city_names.get(slug, [slug])
            if not any(_has(quotes, city) for city in known):
                self._fail("", name, slug, cites)

    def _derived(self, rec: dict, cites: list[dict]) -> None:
        """A derived figure's value is what the arithmetic in its reasoning gives
        ("23 - 11 - 7 - 2 = 3", minus signs or dashes), when the reasoning shows it."""
        value = _decimal(rec.get("value"))
        for c in cites:
            sum_ = _SUM.search(_HYPHENS.sub("-", (c.get("reasoning") or "").replace("\u2212", "-")))
            if sum_ is None or value is None:
                continue
            terms = [Decimal(t) for t in re.findall(r"\d+", sum_.group(1))]
            total = terms[0] - sum(terms[1:]) if "-" in sum_.group(1) else sum(terms)
            if not (total == Decimal(sum_.group(2)) == value):
                self._fail("", "value", rec.get("value"), [c])

    def _range(self, rec, words: str, low: Decimal, high: Decimal, cites) -> None:
        value = _decimal(rec.get("value"))
        if value is not None and not (low <= value <= high) and not (low <= 1 and high <= 1):
            self._fail("", "value", rec.get("value"), cites)
        said = next((c for c in cites if words and _has(c.get("quote") or "", words)), None)
        if said is None:
            self._fail("", "value_as_written", words, cites)
            return
        if not any(_bounds_fit(words, n, low, high) for n in numbers_in(words)):
            self._fail("", "range", f"{low:f} to {high:f}", [said])

    def _words(self, rec: dict, words: str, cites: list[dict]) -> None:
        """A figure with no value: the numbers its words give are in its quotes."""
        quoted = set().union(*(numbers_in(c.get("quote") or "") for c in cites)) if cites else set()
        for number in numbers_in(words):
            if number not in quoted:
                self._fail("", "value_as_written", words, cites)
                return


_BELOW = ("nearly", "almost", "fewer than", "less than", "under", "up to")
_ABOVE = ("more than", "over", "at least", "or more", "upwards of")


def _bounds_fit(words: str, number: Decimal, low: Decimal, high: Decimal) -> bool:
    """Whether the range a fixture infers fits the words: "more than a dozen" needs a
    range from above 12; "nearly half" one up to a half; "about ten" one around ten."""
    plain = normalise(words).lower()
    if any(f" {w} " in f" {plain} " for w in _ABOVE):
        return low >= number
    if any(f" {w} " in f" {plain} " for w in _BELOW):
        return high <= number
    return low <= number <= high


def check_record(docs: Documents, file: str, record: dict) -> list[str]:
    """What in ``record`` (of fixture ``file``) its quotes do not support."""
    try:
        return ValueCheck(docs, file, record).run()
    except (ArithmeticError, AttributeError, TypeError, ValueError) as exc:
        # A value of a shape its field never takes (a mapping for a quote, a list for a
        # flag): said with the record's place, never a traceback.
        return [f"a value is not of the shape its field takes ({exc})"]
