from collections import Counter

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from compacts.models import FigureKind
from seed.reconciliation import (
    FAILING,
    known_inconsistencies,
    reading_notes,
    reconcile,
    unseeded_figures,
)

EMPTY = "The database holds no published figures: run `manage.py seed` first."
PARTLY_SEEDED = "The database is only partly seeded; figures missing: {keys}"
FAILED = "The data contradicts published figures or lacks their counterparts: {keys}"


class Command(BaseCommand):
    help = (
        "Compare the recorded data with every figure the documents publish (each with its "
        "kind: comparable, partial or context), list our own derived figures apart, then "
        "the known inconsistencies between the documents. Fails when the data contradicts "
        "a figure, lacks a figure's counterpart, or is empty or only partly seeded."
    )

    def handle(self, *args, **options):
        results = reconcile()
        derived = reconcile(kind=FigureKind.DERIVED)
        self.stdout.write(f"Published figures ({len(results)}):")
        for result in results:
            self.stdout.write(result.line)
        outcomes = Counter(r.outcome for r in results)
        self.stdout.write(
            "Summary: " + ", ".join(f"{n} {outcome}" for outcome, n in sorted(outcomes.items()))
        )
        self.stdout.write(
            f"\nDerived figures ({len(derived)}), our arithmetic on published ones, not published:"
        )
        for result in derived:
            self.stdout.write(result.line)
        discrepancies = known_inconsistencies()
        self.stdout.write(f"\nKnown inconsistencies between the documents ({len(discrepancies)}):")
        for discrepancy in discrepancies:
            self.stdout.write(f"- {discrepancy.key}: {discrepancy.summary}")
            self.stdout.write(f"  Resolution: {discrepancy.resolution}")
        notes = reading_notes()
        self.stdout.write(f"\nReading notes, not inconsistencies ({len(notes)}):")
        for note in notes:
            self.stdout.write(f"- {note.key}: {note.summary}")
            self.stdout.write(f"  Why not: {note.resolution}")
        if not results:
            raise CommandError(EMPTY)
        missing = unseeded_figures(fixture_dir=settings.FIXTURE_DIRS[0])
        if missing:
            raise CommandError(PARTLY_SEEDED.format(keys=", ".join(missing)))
        failing = [r for r in (*results, *derived) if r.outcome in FAILING]
        if failing:
            raise CommandError(FAILED.format(keys=", ".join(r.key for r in failing)))
