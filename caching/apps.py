from django.apps import AppConfig


class CachingConfig(AppConfig):
    """The public data's version, kept by database triggers, and the caches keyed on it.

    Whatever changes a public table (a publish, a lead's change, `seed`, an admin edit, a
    bulk ``update()``, a restore) changes the version, so a cached page is never older than
    the data it shows.
    """

    name = "caching"

    def ready(self):
        from . import triggers

        triggers.register()
