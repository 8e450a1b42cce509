from django.apps import AppConfig


class CompactsConfig(AppConfig):
    name = "compacts"
    verbose_name = "Compacts and published assessments"
