from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"
    verbose_name = "Compacts and published assessments"

    def ready(self):
        from . import stored_triggers

        stored_triggers.register()
