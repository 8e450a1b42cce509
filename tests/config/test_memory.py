"""The served application keeps the garbage collector out of the way of a cold page
(config/memory.py; bench/dashboard.py measures what it saves)."""

import gc
import importlib

import pytest

from config import memory


@pytest.fixture
def collector_restored():
    threshold = gc.get_threshold()
    yield
    gc.set_threshold(*threshold)
    gc.unfreeze()


def test_the_wsgi_application_freezes_what_it_loaded_and_collects_young_less_often(
    collector_restored,
):
    gc.unfreeze()

    importlib.reload(importlib.import_module("config.wsgi"))

    assert gc.get_freeze_count() > 0  # startup objects no longer scanned
    assert gc.get_threshold()[0] == memory.YOUNG_THRESHOLD
