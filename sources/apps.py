from django.apps import AppConfig


class SourcesConfig(AppConfig):
    """The ground floor: documents, and the citations that tie every fact to one."""

    name = "sources"
