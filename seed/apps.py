from django.apps import AppConfig


class SeedConfig(AppConfig):
    """Loads fixtures/ into the database and reconciles it with the documents' figures."""

    name = "seed"
