import pytest


@pytest.fixture(autouse=True)
def _media_and_static(settings):
    # Pages render static paths through the finders; no collectstatic needed in tests.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
