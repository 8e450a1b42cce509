from django.apps import AppConfig


class ReleasesConfig(AppConfig):
    """Numbered, immutable releases of the published data, to cite "the data as it stood"."""

    name = "releases"
