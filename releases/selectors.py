"""Reads of releases; what a release shows comes from its own frozen files."""

from __future__ import annotations

import csv
import datetime
import io
import json
from dataclasses import dataclass

from django.db.models import Exists, F, Func, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from charts.claims import StageClaim
from charts.rows import CityStage
from common.choices import DatePrecision, LossStatus, StageBasis
from common.sql import kept_instances
from compacts.models import PublicDataChange, RevisionLogEntry
from compacts.standing import PeriodStage, loss_status, standing
from sources.models import known_by_plain

from .codebook import FORMAT_KEY, TABLES
from .models import Release, ReleaseFile


def release_list() -> QuerySet[Release]:
    return Release.objects.select_related("created_by").order_by("-created_at", "-pk")


def _revisions_after_release():
    return RevisionLogEntry.objects.filter(created_at__gt=OuterRef("created_at"))


def _seed_changes_after_release():
    return PublicDataChange.objects.filter(at__gt=OuterRef("created_at"))


def newest_release_to_cite() -> Release | None:
    """The newest release, with ``changed_since``: whether public data changed after it (a
    revision-log entry, i.e. a publication, withdrawal or change of a published stage, or
    a seed run that changed public rows; never a draft). One query, its SQL kept
    (``common.sql.kept_instances``): the Cite box on every page runs it."""
    newest = kept_instances("newest_release_to_cite", _newest_release)
    return newest[0] if newest else None


def _newest_release():
    return (
        Release.objects.only("number", "created_at")
        .annotate(
            changed_since=Exists(_revisions_after_release()) | Exists(_seed_changes_after_release())
        )
        .order_by("-created_at", "-pk")[:1]
    )


@dataclass(frozen=True)
class UnreleasedChanges:
    """What changed in the public data after the newest release, for the lead."""

    release: Release
    revisions: int  # revision-log entries since the release
    seed_changed_at: datetime.datetime | None  # the last seed run since that changed data

    def __bool__(self) -> bool:
        return bool(self.revisions or self.seed_changed_at)


def unreleased_changes() -> UnreleasedChanges | None:
    """The changes since the newest release (falsy when none), or None without a release.
    One query."""
    count = (
        _revisions_after_release()
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    release = (
        Release.objects.only("number", "created_at")
        .annotate(
            revisions=Coalesce(Subquery(count, output_field=IntegerField()), 0),
            seed_changed_at=Subquery(
                _seed_changes_after_release().order_by("-at").values("at")[:1]
            ),
        )
        .first()
    )
    if release is None:
        return None
    return UnreleasedChanges(
        release=release, revisions=release.revisions, seed_changed_at=release.seed_changed_at
    )


def release_detail(*, number: str) -> Release:
    return get_object_or_404(Release, number=number)


def release_file(*, number: str, name: str) -> ReleaseFile:
    return get_object_or_404(ReleaseFile, release__number=number, name=name)


def previous_release(release: Release) -> Release | None:
    return (
        Release.objects.filter(created_at__lt=release.created_at)
        .order_by("-created_at", "-pk")
        .first()
    )


def _table(release: Release, name: str) -> list[dict[str, str]]:
    file = ReleaseFile.objects.get(release=release, name=f"data/{name}.csv")
    return list(csv.DictReader(io.StringIO(bytes(file.content).decode())))


def _optional_table(release: Release, name: str) -> list[dict[str, str]]:
    try:
        return _table(release, name)
    except ReleaseFile.DoesNotExist:
        return []


def _date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value[:10]) if value else None


@dataclass(frozen=True)
class FrozenReport:
    """A finding that names a city as having lost ground, as a release holds it."""

    known_since: datetime.date | None  # its documents' earliest date; None when undated
    period_start: datetime.date | None
    precision: str

    def known_by(self, as_of: datetime.date) -> bool:
        """The dashboard's knowledge-date rule (``sources.models.known_by``)."""
        return known_by_plain(
            as_of,
            known_since=self.known_since,
            period_start=self.period_start,
            precision=self.precision,
        )


def _lost_ground_reports(release: Release) -> dict[str, list[FrozenReport]]:
    """Per city slug, the findings that name it as having lost ground, with the date their
    documents were out (from the release's citations and sources, as ``known_since``);
    empty for a release whose format has no such table or field."""
    rows = _optional_table(release, "trajectory_findings")
    source_dates = {
        row["key"]: _date(row.get("published_on")) or _date(row.get("known_no_earlier_than"))
        for row in _optional_table(release, "sources")
    }
    known: dict[str, list[datetime.date]] = {}
    for row in _optional_table(release, "citations"):
        primary = row.get("is_primary", "true").lower() not in ("false", "0", "")
        dated = source_dates.get(row.get("source_key", ""))
        if row.get("record_table") == "trajectory_findings" and primary and dated:
            known.setdefault(row["record"], []).append(dated)
    reports: dict[str, list[FrozenReport]] = {}
    for row in rows:
        if row.get("direction") == "lost_ground" and row.get("naming") == "named":
            reports.setdefault(row["city"], []).append(
                FrozenReport(
                    known_since=min(known[row["key"]]) if known.get(row["key"]) else None,
                    period_start=_date(row.get("period_start")),
                    precision=row.get("period_precision") or DatePrecision.UNKNOWN,
                )
            )
    return reports


def _frozen_claim(row: dict, stage_orders: dict[str, int]) -> StageClaim:
    """How sure a frozen assessment's stage is, from the release's claim columns (blank in
    a release of an older format: a claim with its basis and confidence only)."""

    def number(name: str) -> int | None:
        return int(row[name]) if row.get(name) else None

    return StageClaim.of(
        basis=row.get("basis") or StageBasis.RATED,
        confidence=row.get("confidence") or "",
        document=row.get("stage_document") or "",
        rating_count=number("rating_count"),
        rating_low_order=stage_orders.get(row.get("rating_low_stage") or ""),
        rating_high_order=stage_orders.get(row.get("rating_high_stage") or ""),
        rating_agreement=row.get("rating_agreement") or "",
        evidence_district_interviews=number("evidence_district_interviews"),
        evidence_charter_interviews=number("evidence_charter_interviews"),
        evidence_sources=number("evidence_sources"),
        rating_low_name=row.get("rating_low_stage") or "",
        rating_high_name=row.get("rating_high_stage") or "",
    )


@dataclass(frozen=True)
class Erratum:
    """What a release of an older format lacks beside the current format: whole tables, and
    fields of the tables it has (by table title)."""

    format: int
    missing_tables: tuple[str, ...]
    missing_fields: tuple[tuple[str, tuple[str, ...]], ...]


def release_format(release: Release) -> tuple[int, dict[str, set[str]]]:
    """The release's package format and the fields of each table it holds, read from its
    own datapackage.json (a release without a format number is format 1)."""
    file = ReleaseFile.objects.get(release=release, name="datapackage.json")
    descriptor = json.loads(bytes(file.content))
    fields = {
        resource["name"]: {field["name"] for field in resource["schema"]["fields"]}
        for resource in descriptor["resources"]
    }
    return descriptor.get(FORMAT_KEY, 1), fields


def erratum(release: Release) -> Erratum | None:
    """What the release lacks that the current format holds (tables, and fields of the
    tables it has); None when it lacks nothing. Releases are never rewritten, so their
    pages say this instead."""
    version, fields = release_format(release)
    missing_tables = tuple(t.title for t in TABLES if t.name not in fields)
    missing_fields = tuple(
        (t.title, missing)
        for t in TABLES
        if t.name in fields
        and (missing := tuple(f.name for f in t.fields if f.name not in fields[t.name]))
    )
    if not missing_tables and not missing_fields:
        return None
    return Erratum(version, missing_tables, missing_fields)


@dataclass(frozen=True)
class FrozenStage:
    order: int
    key: str
    name: str


def frozen_stages(release: Release) -> list[FrozenStage]:
    return [FrozenStage(int(s["order"]), s["key"], s["name"]) for s in _table(release, "stages")]


def frozen_standings(release: Release) -> list[CityStage]:
    """Every city of the release with its current and peak stage and backsliding as of the
    release date, computed from the release's own files (never the live tables) with the
    live pages' definitions (``compacts.standing``), whatever the release's format."""
    as_of = release.created_at.date()
    stage_names = {stage.order: stage.name for stage in frozen_stages(release)}
    signed = {c["city"]: c["signing_year"] for c in _table(release, "compacts")}
    reports = _lost_ground_reports(release)
    stage_orders = {name: order for order, name in stage_names.items()}
    assessments: dict[str, list[dict]] = {}
    for row in _table(release, "assessments"):
        assessments.setdefault(row["city"], []).append(row)
    cities = []
    for index, city in enumerate(_table(release, "cities"), start=1):
        rows = [
            r
            for r in sorted(assessments.get(city["slug"], []), key=lambda r: r["period_start"])
            if datetime.date.fromisoformat(r["period_start"]) <= as_of
        ]
        periods = [
            PeriodStage(
                datetime.date.fromisoformat(r["period_start"]),
                int(r["stage_order"]),
                r.get("basis") or StageBasis.RATED,
                r.get("confidence") or "",
            )
            for r in rows
        ]
        city_standing = standing(periods, as_of)  # the live pages' definition
        status = loss_status(
            periods,
            as_of,
            lost_ground_reported=any(r.known_by(as_of) for r in reports.get(city["slug"], [])),
        )
        current, peak = city_standing.current, city_standing.peak
        latest = rows[-1] if rows else {}
        cities.append(
            CityStage(
                pk=index,
                name=city["name"],
                slug=city["slug"],
                state=city["state"],
                signing_year=int(signed[city["slug"]]) if signed.get(city["slug"]) else None,
                current_order=current,
                current_name=stage_names.get(current),
                current_period=periods[-1].period_start if periods else None,
                current_basis=StageBasis(latest["basis"]) if latest else None,
                peak_order=peak,
                peak_name=stage_names.get(peak),
                backslid=status == LossStatus.YES,
                loss_status=status,
                current_precision=latest.get("period_precision", DatePrecision.MONTH),
                current_confidence=latest.get("confidence", ""),
                claim=_frozen_claim(latest, stage_orders) if latest else None,
            )
        )
    # As the dashboard lists them: assessed cities first, furthest stage first.
    return sorted(cities, key=lambda c: (not c.assessed, -(c.current_order or 0), c.name))


@dataclass(frozen=True)
class ReleaseChanges:
    stage_changes: list[tuple[str, str, str]]  # city name, stage before, stage after
    added: list[str]  # "Denver, 2016 Q3"
    withdrawn: list[str]


def changes_since(
    release: Release, previous: Release | None, *, standings: list[CityStage]
) -> ReleaseChanges | None:
    """Cities whose current stage changed, and assessments added or withdrawn, between the
    previous release's files and this one's. ``standings`` are this release's
    (``frozen_standings``), which its page has computed already."""
    if previous is None:
        return None
    before = {c.slug: c for c in frozen_standings(previous)}
    after = {c.slug: c for c in standings}
    stage_changes = [
        (city.name, before[slug].current_name or "not assessed", city.current_name)
        for slug, city in sorted(after.items(), key=lambda item: item[1].name)
        if slug in before
        and city.current_name != before[slug].current_name
        and city.current_name is not None
    ]

    def keys(r: Release) -> dict[tuple[str, str], str]:
        names = {c["slug"]: c["name"] for c in _table(r, "cities")}
        return {
            (a["city"], a["period_start"]): f"{names.get(a['city'], a['city'])}, {a['period']}"
            for a in _table(r, "assessments")
        }

    old, new = keys(previous), keys(release)
    return ReleaseChanges(
        stage_changes=stage_changes,
        added=sorted(new[k] for k in new.keys() - old.keys()),
        withdrawn=sorted(old[k] for k in old.keys() - new.keys()),
    )


def release_files(release: Release):
    """The release's files for its page: names and checksums, never the contents."""
    return release.files.order_by("name").only("name", "sha256", "release_id")
