from django.core.management.base import BaseCommand

from alerts.models import Frequency
from alerts.services import send_alerts


class Command(BaseCommand):
    help = (
        "Email watchers the published changes of the cities they watch. Run by cron:"
        " every few minutes with --frequency immediate, once a week with --frequency weekly."
        " Safe to run twice or in two processes at once: the ledger never sends a change twice."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, default=Frequency.IMMEDIATE)

    def handle(self, *args, frequency, **options):
        report = send_alerts(frequency=frequency)
        self.stdout.write(
            f"Sent {report.emails} email(s) covering {report.changes} change(s) ({frequency})."
        )
