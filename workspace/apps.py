from django.apps import AppConfig


class WorkspaceConfig(AppConfig):
    """CONFIDENTIAL research: interviews, ratings and their evidence.

    Nothing public imports this app (an import-linter contract in pyproject.toml).
    """

    name = "workspace"
    verbose_name = "Research workspace (confidential)"
