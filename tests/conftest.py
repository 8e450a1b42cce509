import pytest


@pytest.fixture(autouse=True)
def _media_and_static(settings):
    # Pages render static paths through the finders; no collectstatic needed in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(autouse=True)
def _page_cache(settings):
    # Each test starts with an empty cache of its own process: a page cached by another
    # test (under other settings) must never answer this one.
    from django.core.cache import cache

    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    cache.clear()
