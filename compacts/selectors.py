"""Public reads of the record: published data only."""

from dataclasses import dataclass

from django.db.models import Prefetch

from common.sql import kept_instances
from sources.models import Citation

from .models import FindingKind, Initiative, ResearchFinding, RevisionLogEntry


def city_revision_log(*, city) -> list[RevisionLogEntry]:
    """A city's public revision log, newest first, in one query (its SQL kept: the city page
    reads it, ``common.sql.kept_instances``)."""
    return kept_instances("city_revision_log", _revision_log_of, city.pk)


def _revision_log_of(city_id: int):
    return (
        RevisionLogEntry.objects.published()
        .filter(city=city_id)
        .select_related("stage_before", "stage_after")
        .only(
            "logged_on",
            "created_at",
            "action",
            "period_label",
            "reason",
            "city_id",
            "stage_before__name",
            "stage_after__name",
        )
    )


@dataclass(frozen=True)
class FindingGroup:
    kind: str
    label: str
    findings: list[ResearchFinding]


def research_findings() -> list[FindingGroup]:
    """The reports' findings beyond any one city, by kind in the order the page shows them,
    each with its example cities and citations (sources without their full text)."""
    cited = Citation.objects.select_related("source").defer("source__text")
    findings = ResearchFinding.objects.prefetch_related(
        "example_cities", Prefetch("citations", queryset=cited)
    ).order_by("position", "key")
    by_kind: dict[str, list[ResearchFinding]] = {}
    for finding in findings:
        by_kind.setdefault(finding.kind, []).append(finding)
    return [
        FindingGroup(kind=kind.value, label=kind.label, findings=by_kind.get(kind.value, []))
        for kind in FindingKind
    ]


def network_initiatives() -> list[Initiative]:
    """Initiatives of a charter network or program, no single city's."""
    cited = Citation.objects.select_related("source").defer("source__text")
    return list(
        Initiative.objects.filter(city__isnull=True)
        .select_related("type")
        .prefetch_related(Prefetch("citations", queryset=cited), "figures")
        .with_current_status()
        .order_by("network", "title")
    )
