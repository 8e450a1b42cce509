"""The ground floor: plain helpers every room may use. No models, and no import of any of
the project's apps (an import-linter contract holds it): only Django, the standard library
and third-party packages."""
