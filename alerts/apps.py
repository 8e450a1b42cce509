from django.apps import AppConfig


class AlertsConfig(AppConfig):
    """Watch lists and the emails that tell watchers what researchers published."""

    name = "alerts"

    def ready(self):
        from . import triggers

        triggers.register()
