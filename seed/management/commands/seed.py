from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seed.seeding import FixtureError, seed_database


class Command(BaseCommand):
    help = (
        "Sync the database with the seed data drawn from the documents (fixtures/*.yaml): "
        "create, update and remove the rows the fixtures own, never researchers' rows, and "
        "print what changed. A second run changes nothing."
    )

    def handle(self, *args, **options):
        try:
            seed_database(fixture_dir=settings.FIXTURE_DIRS[0], stdout=self.stdout)
        except FixtureError as exc:
            raise CommandError(f"Seed failed, nothing was written. {exc}") from exc
