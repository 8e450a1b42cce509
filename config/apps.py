from django.apps import AppConfig, apps


class ConfigConfig(AppConfig):
    """The project package, an app only so that it can carry the ``db`` command and install
    the database's triggers after ``migrate``."""

    name = "config"
    verbose_name = "Project"

    def ready(self):
        from django.db.models.signals import post_migrate

        from .triggers import install_after_migrate

        # Sent once per app that has models; pgtrigger's has, this package has none.
        post_migrate.connect(install_after_migrate, sender=apps.get_app_config("pgtrigger"))
