"""The public CSV of published assessments: one row per assessment, with no rating, rater,
note or interview field (those live in the workspace and never come here); how sure each
stage is comes as the claim columns of every CSV (``charts.claims.CLAIM_COLUMNS``).

Served at /api/assessments.csv; the workspace's export address sends everyone who is not a
researcher here. Every cell a spreadsheet would run as a formula is neutralised.
"""

from collections.abc import Iterator

from charts.claims import CLAIM_COLUMNS
from common.spreadsheet import SafeWriter
from compacts.models import Assessment

COLUMNS = [
    "city",
    "city_name",
    "state",
    "period",
    "period_start",
    "period_precision",
    "stage",
    "stage_order",
    "stage_provenance",
    "stage_reasoning",
    "published_at",
    *CLAIM_COLUMNS,
]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _rows() -> Iterator[list]:
    queryset = (
        Assessment.objects.published()
        .with_claims()
        .select_related("city", "consensus_stage")
        .order_by("city__name", "period_start")
    )
    for a in queryset.iterator(chunk_size=500):
        yield [
            a.city.slug,
            a.city.name,
            a.city.state,
            a.period_label,
            a.period_start.isoformat(),
            a.period_precision,
            a.consensus_stage.name,
            a.consensus_stage.order,
            a.stage_provenance,
            a.stage_reasoning,
            a.published_at.isoformat(),
            *("" if cell is None else cell for cell in a.claim.cells()),
        ]


def lines() -> Iterator[str]:
    """CSV lines, header first."""
    writer = SafeWriter(_Echo())
    yield writer.writerow(COLUMNS)
    yield from (writer.writerow(row) for row in _rows())
