from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seed.seeding import FixtureError, seed_database


class Command(BaseCommand):
    help = "Load the seed data drawn from the documents (fixtures/*.yaml). Safe to run again."

    def handle(self, *args, **options):
        try:
            counts = seed_database(fixture_dir=settings.FIXTURE_DIRS[0], stdout=self.stdout)
        except FixtureError as exc:
            raise CommandError(f"Seed failed, nothing was written. {exc}") from exc
        width = max(len(label) for label in counts)
        for label, count in counts.items():
            self.stdout.write(f"  {label:<{width}}  {count:>5}")
