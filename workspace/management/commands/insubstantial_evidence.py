"""List source quotes already stored that are too short to support a stage.

They were saved before the rule in ``workspace.evidence`` (or before ``EVIDENCE_MIN_WORDS``
was raised). Nothing is changed or deleted: they stay on their ratings, count for nothing
toward publishing, and their assessment's workspace page flags them. The output is
confidential workspace data (raters and quotes).
"""

from django.conf import settings
from django.core.management.base import BaseCommand

from workspace import selectors


class Command(BaseCommand):
    help = (
        "List stored source quotes too short to count as evidence (assessment, rating, quote)."
        " Read-only."
    )

    def handle(self, *args, **options):
        rows = selectors.insubstantial_evidence()
        minimum = settings.EVIDENCE_MIN_WORDS
        if not rows:
            self.stdout.write(
                f"No stored quote is under the rule ({minimum} words or a table cell)."
            )
            return
        for evidence in rows:
            rating, assessment = evidence.rating, evidence.rating.assessment
            where = f" ({evidence.location})" if evidence.location else ""
            self.stdout.write(
                f"{assessment.city.name}, {assessment.period_label} (assessment {assessment.pk})"
                f"\t{rating.rater.get_username()}: {rating.stage.name}"
                f" (rating {rating.pk})\t{evidence.source.title}{where}: “{evidence.quote}”"
            )
        self.stdout.write(
            f"{len(rows)} quote{'s' if len(rows) != 1 else ''} under the rule ({minimum} words,"
            " not only function words, or a table cell named by table, row and column);"
            " nothing was changed."
        )
