from django.apps import AppConfig


class ChartsConfig(AppConfig):
    """Pure presentation: figures, tables and panels built from plain rows handed in."""

    name = "charts"
