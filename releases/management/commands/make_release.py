from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management.base import BaseCommand, CommandError

from releases import services


class Command(BaseCommand):
    help = "Freeze the published data as a numbered, immutable release (a Data Package)."

    def add_arguments(self, parser):
        parser.add_argument("--number", help="e.g. 2026.1 (default: the next free one)")
        parser.add_argument("--note", required=True, help="what the release adds or changes")
        parser.add_argument("--as", dest="username", required=True, help="a lead researcher")

    def handle(self, *args, number, note, username, **options):
        try:
            user = get_user_model().objects.get_by_natural_key(username)
        except get_user_model().DoesNotExist:
            raise CommandError(f"No user named {username!r}.") from None
        try:
            release = services.release_create(
                user=user, number=number or services.next_number(), note=note
            )
        except PermissionDenied:
            raise CommandError(f"{username} is not a lead researcher.") from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        files = release.files.count()
        self.stdout.write(f"Release {release.number}: {files} files, {release.get_absolute_url()}")
