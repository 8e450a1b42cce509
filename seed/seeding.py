"""Load the seed data in fixtures/*.yaml into the database.

The fixtures are one YAML file per kind of record (see ``FIXTURE_FILES``); every record
that carries a fact has a ``citations:`` list whose quotes are exact excerpts of the
documents in ``fixtures/documents``. The loader is idempotent: records are matched on
their natural keys (slug, key, (city, period_start), ...) and written only when a value
differs, so a second run changes nothing, duplicates nothing and adds no history rows.
Everything happens in one transaction: on any error nothing is written.

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
from django.db import IntegrityError, models, transaction

from cities.models import City, CityNote, ContextFactor, Event
from compacts.models import (
    Assessment,
    Compact,
    Discrepancy,
    Initiative,
    InitiativeFigure,
    InitiativeStatus,
    InitiativeType,
    PublishedFigure,
    Stage,
    TrajectoryFinding,
)
from sources.models import Citation, Source

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
)
CITATION_KEYS = {"source", "quote", "location", "provenance", "reasoning", "field", "primary"}
CITATION_UPDATE_FIELDS = ("location", "provenance", "reasoning", "is_primary")
# libyaml's loader when PyYAML was built with it: parsing the fixtures is most of the work.
_YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class FixtureError(Exception):
    """Bad fixture data; the message names the file and the record."""


def seed_database(*, fixture_dir: Path, stdout: TextIO | None = None) -> dict[str, int]:
    """Load every fixture file in ``fixture_dir`` in one transaction.

    Returns the number of fixture records per model (``"app_label.Model"``), citations
    included. Raises ``FixtureError`` naming the file and record on bad data, after the
    transaction has rolled back.
    """
    loader = _Loader(Path(fixture_dir))
    with transaction.atomic():
        loader.run()
    if stdout is not None:
        stdout.write(
            f"Seed: {loader.created} created, {loader.updated} updated, "
            f"{loader.unchanged} unchanged.\n"
        )
    return dict(sorted(loader.counts.items()))


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

    # ------------------------------------------------------------------ driver
    def run(self) -> None:
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
        }
        deferred: list[tuple[str, models.Model, list]] = []
        for name in FIXTURE_FILES:
            for index, record in enumerate(self._read(name), start=1):
                natural = record.get("key") or record.get("slug") or record.get("city") or ""
                self.where = f"{name}, record {index}" + (f" ({natural})" if natural else "")
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

    def _read(self, name: str) -> list[dict]:
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
        if rec.get("document_file"):
            # The source keeps its text, so quotes researchers type are checked against it.
            rec.setdefault("text", self._document(rec["document_file"]))
            rec.setdefault("text_origin", f"fixtures/documents/{rec['document_file']}")
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
        rec["city"] = self._ref(City, "slug", rec.get("city"))
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
        self._save(Assessment, rec, ["city", "period_start"])

    def _trajectory_finding(self, rec: dict) -> None:
        rec["city"] = self._ref(City, "slug", rec.get("city"))
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
        else:
            changed = [name for name, value in values.items() if self._differs(obj, name, value)]
            for name in changed:
                setattr(obj, name, values[name])
            if changed:
                self._clean_and_save(obj)
                self.updated += 1
            else:
                self.unchanged += 1
        self.counts[model._meta.label] += 1
        if cite:
            self._cite(obj, cites)
        return obj

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
        return model_field.to_python(value)

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

    def _document(self, name: str) -> str:
        if name not in self._documents:
            path = self.fixture_dir / "documents" / name
            if not path.exists():
                raise FixtureError(f"{self.where}: document {name} not found")
            self._documents[name] = path.read_text(encoding="utf-8")
        return self._documents[name]

    def _check_quote(self, where: str, source: Source, quote: str) -> None:
        """A quote must be an exact excerpt of the source's document, when we hold it."""
        if not source.document_file:
            return
        if quote and quote not in self._document(source.document_file):
            raise FixtureError(
                f"{where}: quote is not an exact excerpt of {source.document_file}: {quote[:80]!r}"
            )

    @staticmethod
    def _citation_key(c: Citation) -> tuple:
        return (c.content_type_id, c.object_id, c.field, c.source_id, c.quote)


def _describe(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        return "; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items())
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)
