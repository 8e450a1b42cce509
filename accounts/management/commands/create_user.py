"""Create (or update) a user with one role: researcher, lead or funder."""

import getpass
import os

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts import roles, services


class Command(BaseCommand):
    help = (
        "Create a user with a role (researcher, lead, funder). The password comes from "
        "--password-env (the name of an environment variable) or an interactive prompt."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--role", required=True, choices=sorted(roles.ROLES))
        parser.add_argument("--email", default="")
        parser.add_argument(
            "--password-env",
            metavar="VAR",
            help="Read the password from this environment variable (for scripts).",
        )
        parser.add_argument(
            "--update", action="store_true", help="Change the role of an existing user."
        )

    def handle(self, *args, username, role, email, password_env, update, **options):
        User = get_user_model()
        existing = User.objects.filter(username=username).first()
        if existing and not update:
            raise CommandError(f"User {username!r} exists; pass --update to change the role.")
        password = None
        if not existing:
            password = self._password(password_env)
            try:
                validate_password(password, User(username=username, email=email))
            except ValidationError as exc:
                raise CommandError(" ".join(exc.messages)) from exc
        user = existing or User(username=username, email=email)
        if existing and email:
            user.email = email
        try:
            services.give_role(user, role, password=password)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        verb = "Updated" if existing else "Created"
        self.stdout.write(self.style.SUCCESS(f"{verb} {username} as {roles.ROLES[role]}."))

    def _password(self, password_env: str | None) -> str:
        if password_env:
            password = os.environ.get(password_env, "")
            if not password:
                raise CommandError(f"Environment variable {password_env} is empty or unset.")
            return password
        first = getpass.getpass("Password: ")
        if first != getpass.getpass("Password (again): "):
            raise CommandError("The passwords do not match.")
        return first
