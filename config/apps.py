from django.apps import AppConfig


class ConfigConfig(AppConfig):
    """The project package, an app only so that it can carry the ``db`` command."""

    name = "config"
    verbose_name = "Project"
