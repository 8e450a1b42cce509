from django.core.management.base import BaseCommand

from compacts.stored import rebuild_standings


class Command(BaseCommand):
    help = (
        "Rebuild every city's stored standings (compacts.stored) from the published "
        "assessments and findings. Triggers keep them current; this is for a restore or doubt."
    )

    def handle(self, *args, **options):
        spans = rebuild_standings()
        self.stdout.write(f"Rebuilt {spans} stored standings.")
