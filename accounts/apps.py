from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Roles (researcher, lead researcher, funder) and the commands that grant them."""

    name = "accounts"
