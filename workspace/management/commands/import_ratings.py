"""Import ratings from a CSV file, all or nothing, with a progress bar on a terminal."""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from workspace.csv_import import ImportFailed, import_ratings

BAR_WIDTH = 30


class Command(BaseCommand):
    help = "Import ratings from CSV (columns: docs/ratings-csv.md). Nothing is written on error."

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path)
        parser.add_argument(
            "--user", required=True, help="Researcher recorded in the history as the importer."
        )
        parser.add_argument(
            "--progress",
            choices=["auto", "always", "never"],
            default="auto",
            help="Progress bar on stderr: auto (only on a terminal), always or never.",
        )

    def handle(self, *args, path: Path, user: str, progress: str, **options):
        importer = get_user_model().objects.filter(username=user).first()
        if importer is None:
            raise CommandError(f"No user named {user!r}.")
        try:
            # Read as a stream, a few rows at a time: memory stays flat on any size of file.
            file = path.open("rb")
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}.") from exc
        show = progress == "always" or (progress == "auto" and self.stderr.isatty())
        try:
            with file:
                result = import_ratings(
                    file=file,
                    user=importer,
                    allow_other_raters=True,
                    progress=self._progress if show else None,
                )
        except ImportFailed as exc:
            lines = [exc.message, *(str(error) for error in exc.errors)]
            if exc.unlisted:
                lines.append(f"... and {exc.unlisted:,} more rows with problems.")
            raise CommandError("\n".join(lines)) from exc
        except PermissionDenied as exc:
            raise CommandError(f"{user} is not a researcher, so may not import ratings.") from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Imported {result.created} new and {result.updated} updated ratings "
                f"({result.assessments_created} new assessments); {result.unchanged} rows "
                "were unchanged."
            )
        )

    def _progress(self, phase: str, done: int, total: int) -> None:
        if done != total and done % max(1, total // 200):
            return
        filled = BAR_WIDTH * done // total
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        end = "\n" if done == total else ""
        self.stderr.write(f"\r{phase:<9} [{bar}] {done}/{total}", ending=end)
        self.stderr.flush()
