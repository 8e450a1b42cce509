from collections import Counter

from django.core.management.base import BaseCommand, CommandError

from seed.reconciliation import CONTRADICTION, known_inconsistencies, reconcile


class Command(BaseCommand):
    help = (
        "Compare the recorded data with every figure the documents publish (each with its "
        "kind: comparable, partial or context), then list the known inconsistencies between "
        "the documents. Fails only when the data contradicts a published figure."
    )

    def handle(self, *args, **options):
        results = reconcile()
        self.stdout.write(f"Published figures ({len(results)}):")
        for result in results:
            self.stdout.write(result.line)
        outcomes = Counter(r.outcome for r in results)
        self.stdout.write(
            "Summary: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        )
        discrepancies = known_inconsistencies()
        self.stdout.write(f"\nKnown inconsistencies between the documents ({len(discrepancies)}):")
        for discrepancy in discrepancies:
            self.stdout.write(f"- {discrepancy.key}: {discrepancy.summary}")
            self.stdout.write(f"  Resolution: {discrepancy.resolution}")
        contradictions = [r for r in results if r.outcome == CONTRADICTION]
        if contradictions:
            keys = ", ".join(r.key for r in contradictions)
            raise CommandError(f"The data contradicts published figures: {keys}")
