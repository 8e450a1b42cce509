from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from seed.seeding import FixtureError, seed_database


class Command(BaseCommand):
    help = (
        "Sync the database with the seed data drawn from the documents (fixtures/*.yaml): "
        "create, update and remove the rows the fixtures own, never researchers' rows, and "
        "print what changed. A second run changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--fixtures",
            metavar="DIR",
            default=str(settings.FIXTURE_DIRS[0]),
            help="the folder of fixture files to seed from, to try an edit on a copy"
            " (default: %(default)s)",
        )

    def handle(self, *args, **options):
        fixtures = Path(options["fixtures"])
        if not fixtures.is_dir():
            raise CommandError(f"Seed failed, nothing was written. No folder {fixtures}.")
        try:
            seed_database(fixture_dir=fixtures, stdout=self.stdout)
        except FixtureError as exc:
            raise CommandError(f"Seed failed, nothing was written. {exc}") from exc
