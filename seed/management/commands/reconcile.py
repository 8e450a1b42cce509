from django.core.management.base import BaseCommand, CommandError

from seed.reconciliation import CONTRADICTION, reconcile


class Command(BaseCommand):
    help = (
        "Compare the recorded data with the figures the documents publish. "
        "Fails only when the data contradicts a published figure, not when it is incomplete."
    )

    def handle(self, *args, **options):
        results = reconcile()
        for result in results:
            self.stdout.write(result.line)
        contradictions = [r for r in results if r.outcome == CONTRADICTION]
        if contradictions:
            keys = ", ".join(r.key for r in contradictions)
            raise CommandError(f"The data contradicts published figures: {keys}")
