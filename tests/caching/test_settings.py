"""The cache backend follows the environment: the file cache on one machine, Redis when
REDIS_URL names one (several machines)."""

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def _caches(**env) -> dict:
    script = "from django.conf import settings; import json; print(json.dumps(settings.CACHES))"
    environment = {k: v for k, v in os.environ.items() if k != "REDIS_URL"}
    environment.update(DJANGO_SETTINGS_MODULE="config.settings", **env)
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + script],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(result.stdout)["default"]


def test_one_machine_shares_the_file_cache_between_its_processes():
    assert _caches()["BACKEND"] == "django.core.cache.backends.filebased.FileBasedCache"


def test_redis_url_selects_djangos_redis_backend():
    cache = _caches(REDIS_URL="redis://cache.internal:6379/0")
    assert cache == {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://cache.internal:6379/0",
    }
