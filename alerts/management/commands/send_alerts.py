from django.core.management.base import BaseCommand, CommandError

from alerts.models import Frequency
from alerts.services import send_alerts


class Command(BaseCommand):
    help = (
        "Email watchers the published changes of the cities they watch. Run by cron:"
        " every few minutes with --frequency immediate, once a week with --frequency weekly."
        " Each run also sends the retries that are due, whatever their frequency. Safe to run"
        " twice or in two processes at once; delivery is at least once (docs/alerts.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--frequency", choices=Frequency.values, default=Frequency.IMMEDIATE)

    def handle(self, *args, frequency, **options):
        report = send_alerts(frequency=frequency)
        self.stdout.write(
            f"Sent {report.emails} email(s) covering {report.changes} change(s) ({frequency});"
            f" {report.failed} failed and wait for a retry."
        )
        if report.mail_server_error:
            # A non-zero exit, so cron reports it; the claimed changes wait in the outbox.
            raise CommandError(
                f"The mail server failed ({report.mail_server_error}); the remaining emails"
                " wait for the next run."
            )
