"""A local researcher, lead and funder for a first sign-in on a development machine."""

import secrets

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from accounts import services

DEMO_ROLES = ("researcher", "lead", "funder")


class Command(BaseCommand):
    help = (
        "Create (or reset) the local accounts researcher, lead and funder, with email "
        "addresses, and print their new passwords. Refused when DEBUG is false."
    )

    def handle(self, *args, **options):
        # Known usernames with printed passwords are a door, not an account: never on a
        # server that real people use.
        if not settings.DEBUG:
            raise CommandError(
                "demo_users only runs with DEBUG=true: it prints passwords of accounts anyone "
                "can guess the names of. On a server, use `manage.py create_user NAME --role "
                "ROLE --email ADDRESS` for each real person."
            )
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            raise CommandError("The database is not migrated yet: run `manage.py migrate` first.")
        passwords = {role: secrets.token_urlsafe(12) for role in DEMO_ROLES}
        with transaction.atomic():
            users = [services.demo_account(role, passwords[role]) for role in DEMO_ROLES]
        site = settings.SITE_URL.rstrip("/")
        self.stdout.write(f"Sign in at {site}{reverse('login')} as:")
        for user in users:
            self.stdout.write(
                f"  {user.username:<11} password {passwords[user.username]}   ({user.email})"
            )
        self.stdout.write(
            "\nRunning this again gives each account a new password. Mail (watch-list alerts, "
            "password resets) goes to the console in development."
        )
