"""How sure a published stage is and what it rests on, in words and as columns: the one
place every page, chart, CSV, the API and the release say it from.

A claim carries the stage's basis (stated in a document, inferred from one, or rated by
researchers), its confidence, the document a stated or inferred stage comes from, and the
publish snapshot (``compacts.models.Assessment``): how many researchers rated it, their
lowest and highest stage and agreement, and the evidence per side. A stage no researcher
published has no snapshot: "not rated", never 0.
"""

from __future__ import annotations

import dataclasses

from common.choices import Confidence, RatingAgreement, StageBasis

# The columns every CSV, the API and the release carry, in this order (codebook:
# releases.codebook.CLAIM_COLUMNS describes each).
CLAIM_COLUMNS = (
    "basis",
    "confidence",
    "stage_document",
    "rating_count",
    "rating_low_stage",
    "rating_high_stage",
    "rating_agreement",
    "evidence_district_interviews",
    "evidence_charter_interviews",
    "evidence_sources",
)


@dataclasses.dataclass(frozen=True)
class StageClaim:
    basis: str = StageBasis.RATED
    confidence: str = ""
    document: str = ""
    rating_count: int | None = None
    low_order: int | None = None
    high_order: int | None = None
    low_name: str = ""
    high_name: str = ""
    agreement: str = ""
    district_interviews: int | None = None
    charter_interviews: int | None = None
    sources: int | None = None

    @classmethod
    def of(
        cls,
        *,
        basis: str,
        confidence: str = "",
        document: str = "",
        rating_count: int | None = None,
        rating_low_order: int | None = None,
        rating_high_order: int | None = None,
        rating_agreement: str = "",
        evidence_district_interviews: int | None = None,
        evidence_charter_interviews: int | None = None,
        evidence_sources: int | None = None,
        cited_sources: int | None = None,
        rating_low_name: str | None = None,
        rating_high_name: str | None = None,
    ) -> StageClaim:
        """A claim from an assessment's columns. Without a publish snapshot the sources are
        the documents its citations name (a seed stage rests on them)."""
        snapshot = rating_count is not None
        return cls(
            basis=basis or StageBasis.RATED,
            confidence=confidence or "",
            document=document or "",
            rating_count=rating_count,
            low_order=rating_low_order,
            high_order=rating_high_order,
            low_name=rating_low_name or "",
            high_name=rating_high_name or "",
            agreement=rating_agreement or "",
            district_interviews=evidence_district_interviews,
            charter_interviews=evidence_charter_interviews,
            sources=evidence_sources if snapshot else (cited_sources or 0),
        )

    @property
    def rated(self) -> bool:
        """Whether researchers' ratings were snapshotted at publish (one or more)."""
        return bool(self.rating_count)

    @property
    def has_range(self) -> bool:
        """Whether the ratings span more than one stage (a whisker, a band)."""
        return self.rated and self.high_order > self.low_order

    @property
    def agreement_label(self) -> str:
        return RatingAgreement(self.agreement).label if self.agreement else "not rated"

    @property
    def range_words(self) -> str:
        """ "Basic to Intermediate", "all Intermediate", "Intermediate"; "" when not rated."""
        if not self.rated:
            return ""
        low, high = self.low_name, self.high_name
        if self.has_range:
            return f"{low} to {high}"
        return f"all {low}" if self.rating_count > 1 else low

    def basis_words(self, *, stage: str) -> str:
        """What the stage rests on, in a sentence: "Rated by 3 researchers: Basic to
        Intermediate; consensus Intermediate", "Stated in Bridging the Divide"."""
        if self.basis == StageBasis.STATED:
            text = f"Stated in {self.document}" if self.document else "Stated in a source"
        elif self.basis == StageBasis.INFERRED:
            text = f"Inferred from {self.document}" if self.document else "Inferred from a source"
        elif self.rating_count is None:
            text = "Reconciled from researchers' ratings (their number was not recorded)"
        elif self.rating_count == 0:
            text = "Set by a lead researcher without researchers' ratings"
        else:
            who = "researcher" if self.rating_count == 1 else "researchers"
            text = f"Rated by {self.rating_count} {who}: {self.range_words}"
            text += f"; consensus {stage}"
        if self.basis != StageBasis.RATED and self.rated:
            who = "researcher" if self.rating_count == 1 else "researchers"
            text += f"; rated by {self.rating_count} {who}: {self.range_words}"
        return text

    @property
    def confidence_words(self) -> str:
        if not self.confidence:
            return "confidence not recorded"
        return f"{Confidence(self.confidence).label.lower()} confidence"

    @property
    def evidence_words(self) -> str:
        """ "1 district-side interview, 2 charter-side interviews, 1 source"."""
        parts = []
        if self.district_interviews is not None:
            parts.append(_count(self.district_interviews, "district-side interview"))
        if self.charter_interviews is not None:
            parts.append(_count(self.charter_interviews, "charter-side interview"))
        if self.sources is not None:
            parts.append(_count(self.sources, "cited source"))
        return ", ".join(parts)

    def words(self, *, stage: str) -> str:
        """Everything in one line: basis, confidence, range and evidence."""
        text = f"{self.basis_words(stage=stage)} · {self.confidence_words}"
        evidence = self.evidence_words
        return text + (f" · evidence: {evidence}" if evidence else "")

    def cells(self) -> list:
        """The CLAIM_COLUMNS values: blanks (None) where not rated, never 0 as agreement."""
        return [
            self.basis,
            self.confidence,
            self.document,
            self.rating_count,
            self.low_name if self.rated else None,
            self.high_name if self.rated else None,
            self.agreement or None,
            self.district_interviews,
            self.charter_interviews,
            self.sources,
        ]

    def as_dict(self) -> dict:
        """CLAIM_COLUMNS as a JSON object (the API)."""
        return dict(zip(CLAIM_COLUMNS, self.cells(), strict=True))


# A stage with no claim to show (not assessed): blank cells.
NO_CLAIM_CELLS = (None,) * len(CLAIM_COLUMNS)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"
