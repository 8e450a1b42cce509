"""Sync the database with the seed data in fixtures/*.yaml.

The fixtures are one YAML file per kind of record (see ``FIXTURE_FILES``); every record
that carries a fact has a ``citations:`` list whose quotes are exact excerpts of the
documents in ``fixtures/documents``. Records are matched on their natural keys (slug, key,
(city, period_start), ...; a citation on its row, field, source and quote) and written only
when a value differs, so a second run changes nothing, duplicates nothing and adds no
history rows. Everything happens in one transaction: on any error nothing is written.

The seed owns the rows its records made (``seed.models.SeededRow``): a row it owns whose
record has gone from the fixtures is removed; rows researchers added are never touched.
A row it owns that researchers have built on (an assessment with ratings, or whose stage a
lead changed; a source that evidence quotes; a row whose removal would take researchers'
rows with it) is not changed or removed: it is reported as a conflict and left as it is.

Seeding is quick because the loader asks the database little: the existing rows of each
model are read once into dicts keyed by their natural keys, each row is validated field by
field in Python, and uniqueness and check constraints are left to PostgreSQL, which holds
them all. A refused row is then validated in full, so the error names the constraint as
Django words it. Citations are written in bulk at the end of each file; when the database
refuses a batch it is replayed row by row to name the offending citation.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS, IntegrityError, models, transaction
from django.db.models.deletion import Collector, ProtectedError, RestrictedError
from django.utils import timezone

from cities.models import City, CityNote, ContextFactor, Event
from common.seeding import seeding
from compacts.models import (
    Assessment,
    Compact,
    Discrepancy,
    Initiative,
    InitiativeFigure,
    InitiativeStatus,
    InitiativeType,
    PublicDataChange,
    PublishedFigure,
    ResearchFinding,
    RevisionLogEntry,
    Stage,
    TrajectoryFinding,
)
from seed.coordinates import place_localities, source_label
from sources.matching import find_quote
from sources.models import Citation, Source
from workspace.models import Evidence, Rating

from .fidelity import Documents, check_record, city_names
from .models import SeededRow

# Load order matters: later files refer to rows of earlier ones by key.
FIXTURE_FILES = (
    "sources.yaml",
    "stages.yaml",
    "initiative_types.yaml",
    "cities.yaml",
    "initiatives.yaml",
    "context_factors.yaml",
    "events.yaml",
    "assessments.yaml",
    "trajectory_findings.yaml",
    "published_figures.yaml",
    "discrepancies.yaml",
    "research_findings.yaml",
)
CITATION_KEYS = {"source", "quote", "location", "provenance", "reasoning", "field", "primary"}
CITATION_UPDATE_FIELDS = ("location", "provenance", "reasoning", "is_primary")
# libyaml's loader when PyYAML was built with it: parsing the fixtures is most of the work.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(Exception):
    """Bad fixture data; the message names the file and the record."""


# Removal order: a row before the rows it points at.
_REMOVAL_ORDER = (
    Citation,
    ResearchFinding,
    Discrepancy,
    PublishedFigure,
    TrajectoryFinding,
    Assessment,
    Event,
    ContextFactor,
    InitiativeFigure,
    InitiativeStatus,
    Initiative,
    CityNote,
    Compact,
    City,
    InitiativeType,
    Stage,
    Source,
)
# Rows listed in full when a run creates no more than this many (a first seed lists counts).
_LIST_CREATED_UP_TO = 50


@dataclass(frozen=True)
class Change:
    """One change the seed made to the database, or a conflict it left alone."""

    action: str  # created, updated, removed, conflict
    model: str
    row: str
    detail: str = ""

    @property
    def line(self) -> str:
        detail = f": {self.detail}" if self.detail else ""
        return f"  {self.action:<8} {self.model} {self.row}{detail}"


def seed_database(*, fixture_dir: Path, stdout: TextIO | None = None) -> dict[str, int]:
    """Sync the database with every fixture file in ``fixture_dir``, in one transaction.

    Returns the number of fixture records per model (``"app_label.Model"``), citations
    included. Writes what it changed in the database to ``stdout``. Raises ``FixtureError``
    naming the file and record on bad data, after the transaction has rolled back.
    """
    loader = _Loader(Path(fixture_dir))
    # Marked as the seed's writes: no trigger takes a seeded finding for news to mail.
    with transaction.atomic(), seeding():
        loader.run()
        # Coordinates come from the gazetteer, not the fixtures: every locality, each run.
        placed = place_localities()
        loader.note_public_change()
    if stdout is not None:
        for line in loader.report():
            stdout.write(line + "\n")
        stdout.write(
            f"Map: {placed['placed']} localities placed from {source_label()},"
            f" {placed['unplaced']} with no coordinates.\n"
        )
    return dict(sorted(loader.counts.items()))


def _where(name: str, index: int, record: dict) -> str:
    """A record as error messages name it: "cities.yaml, record 3 (boston)"."""
    natural = record.get("key") or record.get("slug") or record.get("city") or ""
    return f"{name}, record {index}" + (f" ({natural})" if natural else "")


@dataclass
class _Loader:
    fixture_dir: Path
    counts: Counter = field(default_factory=Counter)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    where: str = ""
    _citations: dict[tuple, Citation] = field(default_factory=dict)
    _documents: dict[str, str] = field(default_factory=dict)
    # (model, natural key fields) -> {natural key values: row}, read once per model.
    _rows: dict[tuple, dict[tuple, models.Model]] = field(default_factory=dict)
    # (model, m2m field name) -> {row id: set of target ids}, read once per field.
    _m2m: dict[tuple, dict[int, set]] = field(default_factory=dict)
    # Citations validated but not yet written: (where, citation, new?).
    _pending: list[tuple[str, Citation, bool]] = field(default_factory=list)
    # The rows the seed owns, (content type id, row id) -> ledger entry; those this run's
    # records made or matched; ledger entries to add; changes made; conflicted rows.
    _owned: dict[tuple[int, int], SeededRow] = field(default_factory=dict)
    _touched: set[tuple[int, int]] = field(default_factory=set)
    _new_owned: list[SeededRow] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    _conflicts: dict[tuple[int, int], str | None] = field(default_factory=dict)
    _content_types: dict[type, int] = field(default_factory=dict)
    _fixture: str = ""
    _parsed: dict[str, list[dict]] = field(default_factory=dict)
    _texts: dict[str, str] = field(default_factory=dict)  # source key -> its document's text

    # ------------------------------------------------------------------ driver
    def run(self) -> None:
        documents = self._documents_read()
        # Every record's values against its quotes before anything is written: a slip in
        # the last file is refused at once, not after the files before it were written.
        for name in FIXTURE_FILES:
            for index, record in enumerate(self._read(name), start=1):
                if problems := check_record(documents, name, record):
                    raise FixtureError(f"{_where(name, index, record)}: " + " | ".join(problems))
        for entry in SeededRow.objects.all():
            self._owned[(entry.content_type_id, entry.object_id)] = entry
        # One query for every existing citation instead of one per quote.
        for c in Citation.objects.all():
            self._citations[self._citation_key(c)] = c
        handlers = {
            "sources.yaml": self._source,
            "stages.yaml": self._stage,
            "initiative_types.yaml": self._initiative_type,
            "cities.yaml": self._city,
            "initiatives.yaml": self._initiative,
            "context_factors.yaml": self._context_factor,
            "events.yaml": self._event,
            "assessments.yaml": self._assessment,
            "trajectory_findings.yaml": self._trajectory_finding,
            "published_figures.yaml": self._published_figure,
            "discrepancies.yaml": self._discrepancy,
            "research_findings.yaml": self._research_finding,
        }
        deferred: list[tuple[str, models.Model, list]] = []
        for name in FIXTURE_FILES:
            self._fixture = name
            for index, record in enumerate(self._read(name), start=1):
                self.where = _where(name, index, record)
                try:
                    if name == "sources.yaml":
                        # Sources cite each other, so their citations wait for all sources.
                        obj, cites = self._source(dict(record))
                        deferred.append((self.where, obj, cites))
                    else:
                        handlers[name](dict(record))
                except FixtureError:
                    # A citation of an earlier record that the database refuses comes first.
                    self._write_citations()
                    raise
                except (ValidationError, ValueError, TypeError) as exc:
                    self._write_citations()
                    raise FixtureError(f"{self.where}: {_describe(exc)}") from exc
            if name == "sources.yaml":
                for where, obj, cites in deferred:
                    self.where = where
                    self._cite(obj, cites)
            self._write_citations()
        self.where = "removing rows whose records left the fixtures"
        self._remove_unlisted()
        SeededRow.objects.bulk_create(self._new_owned)

    def note_public_change(self) -> None:
        """Record that this run changed public rows (compacts.models.PublicDataChange), so
        a release made before it no longer stands for the data the site shows."""
        done = Counter(c.action for c in self.changes)
        if done["created"] or done["updated"] or done["removed"]:
            PublicDataChange.objects.create(
                kind=PublicDataChange.Kind.SEED,
                at=timezone.now(),
                summary=f"{done['created']} created, {done['updated']} updated, "
                f"{done['removed']} removed",
            )

    def report(self) -> list[str]:
        """What the run changed in the database: totals, rows per model, then each change."""
        done = Counter(c.action for c in self.changes)
        lines = [
            f"Seed: {done['created']} created, {done['updated']} updated, "
            f"{done['removed']} removed, {done['conflict']} conflicts left as they are "
            f"({sum(self.counts.values())} fixture records)."
        ]
        per_model: dict[str, Counter] = {}
        for change in self.changes:
            per_model.setdefault(change.model, Counter())[change.action] += 1
        width = max((len(m) for m in per_model), default=0)
        for model, actions in sorted(per_model.items()):
            lines.append(
                f"  {model:<{width}}  " + ", ".join(f"{n} {a}" for a, n in sorted(actions.items()))
            )
        list_created = done["created"] <= _LIST_CREATED_UP_TO
        lines += [c.line for c in self.changes if c.action != "created" or list_created]
        return lines

    def _documents_read(self) -> Documents:
        """What the value checks read: each source's text and year, each city's names."""
        texts, years = {}, {}
        for record in self._read("sources.yaml"):
            key = record.get("key", "")
            file = record.get("document_file")
            start, end = record.get("document_start"), record.get("document_end")
            texts[key] = record.get("text") or (self._part(file, start, end) if file else "")
            published = str(record.get("published_on") or "")
            years[key] = int(published[:4]) if published[:4].isdigit() else None
        names = {c.get("slug", ""): city_names(c) for c in self._read("cities.yaml")}
        return Documents(texts=texts, years=years, city_names=names)

    def _read(self, name: str) -> list[dict]:
        if name not in self._parsed:
            self._parsed[name] = self._parse(name)
        return self._parsed[name]

    def _parse(self, name: str) -> list[dict]:
        path = self.fixture_dir / name
        if not path.exists():
            raise FixtureError(f"{name}: fixture file missing in {self.fixture_dir}")
        try:
            data = yaml.load(path.read_text(encoding="utf-8"), Loader=_YAML_LOADER) or []
        except yaml.YAMLError as exc:
            raise FixtureError(f"{name}: not valid YAML: {exc}") from exc
        if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
            raise FixtureError(f"{name}: expected a list of records")
        return data

    # --------------------------------------------------------- record kinds
    def _source(self, rec: dict) -> tuple[Source, list]:
        cites = rec.pop("citations", [])
        start, end = rec.pop("document_start", None), rec.pop("document_end", None)
        if rec.get("document_file"):
            # The source keeps its own document's text (one document of a file that holds
            # several), so quotes researchers type are checked against that document only.
            rec.setdefault("text", self._part(rec["document_file"], start, end))
            rec.setdefault("text_origin", _origin(rec["document_file"], start, end))
        self._texts[rec.get("key", "")] = rec.get("text") or ""
        return self._save(Source, rec, ["key"], cite=False), cites

    def _stage(self, rec: dict) -> None:
        self._save(Stage, rec, ["key"])

    def _initiative_type(self, rec: dict) -> None:
        self._save(InitiativeType, rec, ["key"])

    def _city(self, rec: dict) -> None:
        compact = rec.pop("compact", None)
        notes = rec.pop("notes", [])
        city = self._save(City, rec, ["slug"])
        if compact is not None:
            self._save(Compact, {**compact, "city": city}, ["city"])
        for note in notes:
            self._save(CityNote, {**note, "city": city}, ["city", "text"])

    def _initiative(self, rec: dict) -> None:
        statuses = rec.pop("statuses", [])
        figures = rec.pop("figures", [])
        # A network's initiative is no single city's.
        rec["city"] = self._ref(City, "slug", rec["city"]) if rec.get("city") else None
        rec["type"] = self._ref(InitiativeType, "key", rec.get("type"))
        initiative = self._save(Initiative, rec, ["key"])
        for status in statuses:
            lookup = ["initiative", "status", "as_of_year"]
            self._save(
                InitiativeStatus, {"as_of_year": None, **status, "initiative": initiative}, lookup
            )
        for figure in figures:
            self._save(
                InitiativeFigure, {**figure, "initiative": initiative}, ["initiative", "metric"]
            )

    def _context_factor(self, rec: dict) -> None:
        rec["city"] = self._ref(City, "slug", rec.get("city"))
        self._save(ContextFactor, {"description": "", **rec}, ["city", "kind", "description"])

    def _event(self, rec: dict) -> None:
        cities = [self._ref(City, "slug", s) for s in rec.pop("cities", [])]
        event = self._save(Event, rec, ["key"])
        self._set_m2m(event, "cities", cities)

    def _assessment(self, rec: dict) -> None:
        rec["city"] = self._ref(City, "slug", rec.get("city"))
        if rec.get("consensus_stage"):
            rec["consensus_stage"] = self._ref(Stage, "key", rec["consensus_stage"])
        check_stage_citations(rec, where=self.where)
        self._save(Assessment, rec, ["city", "period_start"])

    def _trajectory_finding(self, rec: dict) -> None:
        rec["city"] = self._ref(City, "slug", rec.get("city"))
        check_naming(rec, where=self.where)
        self._save(TrajectoryFinding, rec, ["key"])

    def _published_figure(self, rec: dict) -> None:
        named = [self._ref(City, "slug", s) for s in rec.pop("named_cities", [])]
        if rec.get("stage"):
            rec["stage"] = self._ref(Stage, "key", rec["stage"])
        figure = self._save(PublishedFigure, rec, ["key"])
        self._set_m2m(figure, "named_cities", named)

    def _discrepancy(self, rec: dict) -> None:
        cities = [self._ref(City, "slug", s) for s in rec.pop("cities", [])]
        discrepancy = self._save(Discrepancy, rec, ["key"])
        self._set_m2m(discrepancy, "cities", cities)

    def _research_finding(self, rec: dict) -> None:
        cities = [self._ref(City, "slug", s) for s in rec.pop("example_cities", [])]
        finding = self._save(ResearchFinding, rec, ["key"])
        self._set_m2m(finding, "example_cities", cities)

    # ------------------------------------------------------------- helpers
    def _rows_for(self, model: type[models.Model], key_fields: tuple[str, ...]) -> dict:
        """Every existing row of ``model`` keyed by ``key_fields`` (one query per model)."""
        rows = self._rows.get((model, key_fields))
        if rows is None:
            attnames = [model._meta.get_field(name).attname for name in key_fields]
            rows = {
                tuple(getattr(obj, attname) for attname in attnames): obj
                for obj in model.objects.all()
            }
            self._rows[(model, key_fields)] = rows
        return rows

    def _remember(self, obj: models.Model) -> None:
        """Add a new row to every index of its model read so far."""
        for (model, key_fields), rows in self._rows.items():
            if model is type(obj):
                attnames = [model._meta.get_field(name).attname for name in key_fields]
                rows[tuple(getattr(obj, attname) for attname in attnames)] = obj

    @staticmethod
    def _key(model: type[models.Model], key_fields: tuple[str, ...], values: dict) -> tuple:
        """The natural key of ``values`` as stored: related rows by id, the rest as Python."""
        key = []
        for name in key_fields:
            value = values[name]
            if isinstance(value, models.Model):
                value = value.pk
            elif value is not None and not model._meta.get_field(name).is_relation:
                value = model._meta.get_field(name).to_python(value)
            key.append(value)
        return tuple(key)

    def _find(self, model: type[models.Model], key: str, value: Any) -> models.Model | None:
        rows = self._rows_for(model, (key,))
        try:
            return rows.get(self._key(model, (key,), {key: value}))
        except (TypeError, ValidationError):  # not a value this field can hold
            return None

    def _ref(self, model: type[models.Model], key: str, value: Any) -> models.Model:
        obj = self._find(model, key, value)
        if obj is None:
            name = model._meta.verbose_name
            raise FixtureError(f"{self.where}: unknown {name} {key}={value!r}")
        return obj

    def _save(
        self, model: type[models.Model], rec: dict, lookup_fields: list[str], *, cite: bool = True
    ) -> models.Model:
        """Create or update one row by its natural key; write only what differs."""
        cites = rec.pop("citations", []) if cite else []
        names = {f.name for f in model._meta.concrete_fields} - {"id"}
        unknown = set(rec) - names
        if unknown:
            raise FixtureError(f"{self.where}: unknown {model.__name__} field(s) {sorted(unknown)}")
        values = {name: self._to_python(model, name, value) for name, value in rec.items()}
        key_fields = tuple(lookup_fields)
        rows = self._rows_for(model, key_fields)
        key = self._key(model, key_fields, values)
        lookup = {name: values.pop(name) for name in lookup_fields}
        obj = rows.get(key)
        if obj is None:
            obj = model(**lookup, **values)
            self._clean_and_save(obj)
            self._remember(obj)
            rows[key] = obj
            self.created += 1
            self._own(obj)
            self._record("created", obj)
        else:
            self._own(obj)
            changed = [name for name, value in values.items() if self._differs(obj, name, value)]
            conflict = self._conflict(obj) if changed else None
            if conflict:
                fields = ", ".join(changed)
                self._record("conflict", obj, f"{conflict}; the fixture changes {fields}")
            elif changed:
                for name in changed:
                    setattr(obj, name, values[name])
                self._clean_and_save(obj)
                self.updated += 1
                self._record("updated", obj, ", ".join(changed))
            else:
                self.unchanged += 1
        self.counts[model._meta.label] += 1
        if cite:
            self._cite(obj, cites)
        return obj

    # ------------------------------------------------------------ ownership
    def _ct(self, model: type[models.Model]) -> int:
        if model not in self._content_types:
            self._content_types[model] = ContentType.objects.get_for_model(model).pk
        return self._content_types[model]

    def _own(self, obj: models.Model) -> None:
        """This run's fixtures hold ``obj``: the seed owns it (adopting it if need be)."""
        ident = (self._ct(type(obj)), obj.pk)
        self._touched.add(ident)
        if ident not in self._owned:
            entry = SeededRow(
                content_type_id=ident[0],
                object_id=obj.pk,
                fixture=self._fixture,
                natural_key=_label(obj)[:500],
            )
            self._owned[ident] = entry
            self._new_owned.append(entry)

    def _record(self, action: str, obj: models.Model, detail: str = "") -> None:
        self.changes.append(Change(action, obj._meta.label, _label(obj), detail))

    def _conflict(self, obj: models.Model) -> str | None:
        """Why researchers' work rests on ``obj`` (so the seed leaves it), or None."""
        ident = (self._ct(type(obj)), obj.pk)
        if ident not in self._conflicts:
            self._conflicts[ident] = _researchers_work(obj)
        return self._conflicts[ident]

    def _remove_unlisted(self) -> None:
        """Remove the rows the seed owns whose records are no longer in the fixtures."""
        gone: dict[int, list[int]] = {}
        for ct_id, object_id in self._owned:
            if (ct_id, object_id) not in self._touched:
                gone.setdefault(ct_id, []).append(object_id)
        if not gone:
            return
        for model in _REMOVAL_ORDER:
            ids = gone.get(self._ct(model))
            if not ids:
                continue
            for obj in model.objects.filter(pk__in=ids):
                self._remove(obj)

    def _remove(self, obj: models.Model) -> None:
        ident = (self._ct(type(obj)), obj.pk)
        if isinstance(obj, Citation):
            target = (obj.content_type_id, obj.object_id)
            reason = self._conflicts.get(target)
            if reason:
                self._record("conflict", obj, f"its row is left as it is ({reason})")
                return
        else:
            reason = self._conflict(obj) or self._takes_others_with_it(obj)
            if reason:
                self._record("conflict", obj, f"{reason}; its record left the fixtures")
                return
        self._record("removed", obj)
        with transaction.atomic():
            if not isinstance(obj, Citation):
                obj.citations.all().delete()
            obj.delete()
        entry = self._owned.pop(ident)
        if entry.pk:
            entry.delete()

    def _takes_others_with_it(self, obj: models.Model) -> str | None:
        """Deleting ``obj`` would delete (or is blocked by) rows the seed does not own."""
        collector = Collector(using=DEFAULT_DB_ALIAS)
        try:
            collector.collect([obj])
        except (ProtectedError, RestrictedError) as exc:
            return f"rows that are not the seed's refer to it ({exc.args[0][:80]})"
        for model, instances in collector.data.items():
            if model._meta.auto_created:
                continue
            ct_id = self._ct(model)
            for other in instances:
                if other is obj or (ct_id, other.pk) in self._owned:
                    continue
                return f"deleting it would delete {model._meta.label} {_label(other)}"
        return None

    @staticmethod
    def _differs(obj: models.Model, name: str, value: Any) -> bool:
        model_field = obj._meta.get_field(name)
        if model_field.is_relation and (value is None or isinstance(value, models.Model)):
            # Compare ids: reading the related row would cost a query.
            return getattr(obj, model_field.attname) != (None if value is None else value.pk)
        return getattr(obj, name) != value

    def _to_python(self, model: type[models.Model], name: str, value: Any) -> Any:
        model_field = model._meta.get_field(name)
        if model_field.is_relation or value is None:
            return value
        try:
            return model_field.to_python(value)
        except ValidationError as exc:  # Django's words name the value, not the field
            raise FixtureError(
                f"{self.where}: {model._meta.model_name}.{name} = {value!r}:"
                f" {' '.join(exc.messages)}"
            ) from exc

    def _set_m2m(self, obj: models.Model, name: str, targets: list[models.Model]) -> None:
        """``obj.<name>.set(targets)``, skipped when the rows already say so."""
        links = self._m2m.get((type(obj), name))
        if links is None:
            m2m = obj._meta.get_field(name)
            through = m2m.remote_field.through
            source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
            links = {}
            for source_id, target_id in through.objects.values_list(source, target):
                links.setdefault(source_id, set()).add(target_id)
            self._m2m[(type(obj), name)] = links
        wanted = {t.pk for t in targets}
        if links.get(obj.pk, set()) != wanted:
            getattr(obj, name).set(targets)
            links[obj.pk] = wanted

    @staticmethod
    def _quick_clean(obj: models.Model, exclude: set[str]) -> None:
        """Field validation only, in Python: no query for foreign keys, uniqueness or
        check constraints (the database enforces those when the row is written)."""
        related = {
            f.name
            for f in obj._meta.concrete_fields
            if f.is_relation and getattr(obj, f.attname) is not None
        }
        obj.full_clean(exclude=exclude | related, validate_unique=False, validate_constraints=False)

    def _clean_and_save(self, obj: models.Model) -> None:
        # Django cannot evaluate the date-precision check constraints in Python when the
        # date is NULL (PostgreSQL cannot type EXTRACT(MONTH FROM NULL)), so those few
        # are left to the database, whose refusal is reported the same way.
        null_dates = {
            f.name
            for f in obj._meta.concrete_fields
            if isinstance(f, models.DateField) and getattr(obj, f.attname) is None
        }
        name = obj.__class__.__name__
        try:
            self._quick_clean(obj, null_dates)
            with transaction.atomic():
                obj.save()
        except (ValidationError, IntegrityError) as exc:
            # Rare: validate in full (queries and all) for Django's wording of the problem.
            try:
                obj.full_clean(exclude=null_dates)
            except ValidationError as full:
                raise FixtureError(f"{self.where}: {name}: {_describe(full)}") from exc
            if isinstance(exc, ValidationError):
                raise FixtureError(f"{self.where}: {name}: {_describe(exc)}") from exc
            raise FixtureError(f"{self.where}: {name}: the database refused it: {exc}") from exc

    def _cite(self, obj: models.Model, citations: list) -> None:
        """Attach citations; each is matched on (target, field, source, quote).

        They are validated here and written by ``_write_citations``."""
        if not isinstance(citations, list):
            raise FixtureError(f"{self.where}: citations must be a list")
        content_type = ContentType.objects.get_for_model(obj)
        conflicted = self._conflicts.get((content_type.pk, obj.pk))
        for number, raw in enumerate(citations, start=1):
            where = f"{self.where}, citation {number}"
            if not isinstance(raw, dict) or set(raw) - CITATION_KEYS:
                raise FixtureError(f"{where}: expected keys among {sorted(CITATION_KEYS)}")
            source = self._find(Source, "key", raw.get("source"))
            if source is None:
                raise FixtureError(f"{where}: unknown source {raw.get('source')!r}")
            quote = raw.get("quote") or ""
            self._check_quote(where, source, quote)
            citation = Citation(
                content_type=content_type,
                object_id=obj.pk,
                field=raw.get("field", ""),
                source=source,
                quote=quote,
                location=raw.get("location", ""),
                provenance=raw.get("provenance", ""),
                reasoning=raw.get("reasoning", ""),
                is_primary=raw.get("primary", True),
            )
            existing = self._citations.get(self._citation_key(citation))
            self.counts[Citation._meta.label] += 1
            if existing is not None and existing.pk is not None:
                self._own(existing)
            if conflicted:
                continue  # its row is left as it is, citations included
            if existing is not None:
                changed = [
                    name
                    for name in CITATION_UPDATE_FIELDS
                    if getattr(existing, name) != getattr(citation, name)
                ]
                if not changed:
                    self.unchanged += 1
                    continue
                citation.pk = existing.pk
                if existing.pk is not None:
                    self._record("updated", existing, ", ".join(changed))
            try:
                self._quick_clean(citation, set())
            except ValidationError as exc:
                try:  # in full, for the same wording as the database's refusal below
                    citation.full_clean()
                except ValidationError as full:
                    raise FixtureError(f"{where}: {_describe(full)}") from exc
                raise FixtureError(f"{where}: {_describe(exc)}") from exc
            if existing is not None and existing.pk is None:
                # The same citation twice in the fixtures, the first not written yet.
                for name in CITATION_UPDATE_FIELDS:
                    setattr(existing, name, getattr(citation, name))
                citation = existing
            else:
                self._pending.append((where, citation, existing is None))
            self._citations[self._citation_key(citation)] = citation
            if existing is None:
                self.created += 1
            else:
                self.updated += 1

    def _write_citations(self) -> None:
        """Write the pending citations in bulk; if the database refuses the batch, replay
        it a row at a time to name the citation it refuses."""
        pending, self._pending = self._pending, []
        if not pending:
            return
        try:
            with transaction.atomic():
                Citation.objects.bulk_update(
                    [c for _, c, new in pending if not new], CITATION_UPDATE_FIELDS
                )
                Citation.objects.bulk_create([c for _, c, new in pending if new])
        except IntegrityError:
            pass
        else:
            self._created_citations([c for _, c, new in pending if new])
            return
        for where, citation, new in pending:
            if new:  # undo what the rolled-back bulk insert may have set
                citation.pk = None
                citation._state.adding = True
            try:
                with transaction.atomic():
                    citation.save()
            except IntegrityError as exc:
                try:
                    citation.full_clean()
                except ValidationError as full:
                    raise FixtureError(f"{where}: {_describe(full)}") from exc
                raise FixtureError(f"{where}: the database refused it: {exc}") from exc
        self._created_citations([c for _, c, new in pending if new])

    def _created_citations(self, created: list[Citation]) -> None:
        for citation in created:
            self._own(citation)
            self._record("created", citation)

    def _document(self, name: str) -> str:
        if name not in self._documents:
            path = self.fixture_dir / "documents" / name
            if not path.exists():
                raise FixtureError(f"{self.where}: document {name} not found")
            self._documents[name] = path.read_text(encoding="utf-8")
        return self._documents[name]

    def _part(self, name: str, start: str | None, end: str | None) -> str:
        """The text of one document in file ``name``: from the ``start`` marker (or the
        file's start) to just before the ``end`` marker (or the file's end)."""
        text = self._document(name)
        for marker in (start, end):
            if marker is not None and text.count(marker) != 1:
                found = text.count(marker)
                raise FixtureError(
                    f"{self.where}: split marker {marker[:60]!r} occurs {found} times in {name};"
                    " it must occur once"
                )
        first = text.index(start) if start else 0
        last = text.index(end) if end else len(text)
        if last <= first:
            raise FixtureError(f"{self.where}: document_end comes before document_start in {name}")
        return text[first:last]

    def _check_quote(self, where: str, source: Source, quote: str) -> None:
        """A quote must be in the source's own document, when we hold it (not in another
        document of the same file), by the one matcher the workspace uses too. That seeded
        quotes are also exact excerpts is a property of the fixtures, which their tests
        check."""
        if not source.document_file:
            return
        text = self._texts.get(source.key)
        if text is None:
            text = source.text or self._document(source.document_file)
        if quote and not find_quote(quote, text).found:
            raise FixtureError(
                f"{where}: quote is not in {source.key}"
                f" (its document in {source.document_file}): {quote[:80]!r}"
            )

    @staticmethod
    def _citation_key(c: Citation) -> tuple:
        return (c.content_type_id, c.object_id, c.field, c.source_id, c.quote)


STATED_STAGE_UNCITED = (
    "a stage stated in a source needs at least one stated citation of consensus_stage"
)
STAGE_CITATION_WITHOUT_LOCATION = (
    "stage citation {number} has no location (the section, table, page or paragraph)"
)
NAMED_FINDING_UNCITED = "a finding that names the city needs a stated citation"
CANDIDATE_FINDING_UNREASONED = (
    "a candidate finding (its direction inferred) needs an inferred citation with reasoning"
)


def check_stage_citations(rec: dict, *, where: str) -> None:
    """A ``stated`` stage rests on at least one stated citation of the stage, and every
    citation of an assessment says where in its source the words are."""
    cites = rec.get("citations") or []
    for number, citation in enumerate(cites, start=1):
        if not (citation.get("location") or "").strip():
            raise FixtureError(f"{where}: " + STAGE_CITATION_WITHOUT_LOCATION.format(number=number))
    if rec.get("stage_provenance") == "stated" and not any(
        c.get("provenance") == "stated" and c.get("field") == "consensus_stage" for c in cites
    ):
        raise FixtureError(f"{where}: {STATED_STAGE_UNCITED}")


def check_naming(rec: dict, *, where: str) -> None:
    """A finding marked ``named`` rests on a stated citation; a ``candidate`` on an inferred
    one with its reasoning."""
    cites = rec.get("citations") or []
    naming = rec.get("naming", "candidate")
    if naming == "named" and not any(c.get("provenance") == "stated" for c in cites):
        raise FixtureError(f"{where}: {NAMED_FINDING_UNCITED}")
    if naming == "candidate" and not any(
        c.get("provenance") == "inferred" and c.get("reasoning") for c in cites
    ):
        raise FixtureError(f"{where}: {CANDIDATE_FINDING_UNREASONED}")


def _origin(name: str, start: str | None, end: str | None) -> str:
    """Where a source's text came from, split markers included."""
    origin = f"fixtures/documents/{name}"
    if start or end:
        begin = f"from “{' '.join(start.split())[:40]}”" if start else "from its start"
        stop = f"to before “{' '.join(end.split())[:40]}”" if end else "to its end"
        origin += f", {begin} {stop}"
    return origin[:200]


def _label(obj: models.Model) -> str:
    """A row as the seed's report names it."""
    if isinstance(obj, Citation):
        target = f"{obj.content_type.model} #{obj.object_id}"
        field_name = f" {obj.field}" if obj.field else ""
        quote = " ".join(obj.quote[:50].split())
        return f"#{obj.pk} ({target}{field_name}, {obj.source.key}: “{quote}”)"
    for name in ("key", "slug"):
        if hasattr(obj, name):
            return str(getattr(obj, name))
    return f"#{obj.pk} ({str(obj)[:80]})"


def _researchers_work(obj: models.Model) -> str | None:
    """What researchers have built on a seeded row, in words; None if nothing."""
    if isinstance(obj, Assessment):
        ratings = Rating.objects.filter(assessment=obj).count()
        if ratings:
            return f"researchers rated it ({ratings} rating{'s' if ratings != 1 else ''})"
        if RevisionLogEntry.objects.filter(assessment=obj).exclude(action="published").exists():
            return "a lead changed its published stage (see the revision log)"
        if obj.history.filter(history_user__isnull=False).exists():
            return "a researcher or lead edited it"
    if isinstance(obj, Source):
        quoted = Evidence.objects.filter(source=obj).count()
        if quoted:
            return f"researchers quote it as evidence ({quoted} quote{'s' if quoted != 1 else ''})"
    return None


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
