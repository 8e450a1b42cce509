"""Benchmark the pages on the SEED data: uncached server time, queries, and the throughput
of cached pages through gunicorn beside a static file of the same size.

    .venv/bin/python bench/pages.py                 # part of `make bench`
    .venv/bin/python bench/pages.py --seconds 12    # longer load runs

Uses its own database (``compact_tracker_bench_seed`` on the embedded server, migrated and
seeded here), never the development or test one.

1. In process (Django's test Client, DEBUG=false, a cookie so the whole-page cache is
   skipped): median and p95 server time and query count of the dashboard, a city page and
   the city API.
2. Through gunicorn (2 workers, production settings, 127.0.0.1 only) with wrk when it is
   installed (else a small threaded load generator): requests per second and median
   latency of a static file of the same size as the city page, the cached city page and
   the cached dashboard for an anonymous visitor, and the same two pages for a signed-in
   funder (session and CSRF cookies, as a browser sends them), each page's share of the
   static file's throughput and the funder's share of the anonymous visitor's. Requests
   carry ``X-Forwarded-Proto: https``, so an SSL redirect is never what is measured.

``--json`` also writes the figures for bench/goals.py (`make bench`).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "compact_tracker_bench_seed"
CITY = "boston"
FUNDER = "bench-funder"
SETTINGS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMBEDDED_PG_DATABASE": DATABASE,
    "TRUSTED_PROXY_COUNT": "1",
}


def _setup_django() -> None:
    if "bench" not in os.environ.get("EMBEDDED_PG_DATABASE", DATABASE):
        sys.exit("Refusing to run on a database whose name does not contain 'bench'.")
    os.environ.update(SETTINGS_ENV)
    # This process times the server's own work: no whole-page or part caching here.
    # gunicorn, below, runs with caching on (PAGE_CACHE defaults to on without DEBUG).
    os.environ["PAGE_CACHE"] = "false"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from config.memory import tune_garbage_collector

    tune_garbage_collector()  # as config/wsgi.py serves it


def _prepare() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("seed", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    call_command("collectstatic", verbosity=0, interactive=False)


def _funder_cookie() -> str:
    """A signed-in funder's cookies as their browser sends them: the session (stored where
    gunicorn reads it) and the CSRF cookie the sign-in form set (without it, every request
    would mint a new CSRF secret and set the cookie again, as for a first visit only)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.middleware.csrf import _get_new_csrf_string
    from django.test import Client

    from accounts.services import give_role

    user, _ = get_user_model().objects.get_or_create(username=FUNDER)
    give_role(user, "funder")
    client = Client()
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    csrf = f"{settings.CSRF_COOKIE_NAME}={_get_new_csrf_string()}"
    return f"{name}={client.cookies[name].value}; {csrf}"


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure_in_process(requests: int, figures: dict) -> dict[str, bytes]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from common.sql import forget_compiled

    client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
    client.cookies["bench-uncached"] = "1"  # any cookie skips the whole-page cache
    urls = {
        "dashboard": "/dashboard/",
        "city page": f"/cities/{CITY}/",
        "city API": "/api/cities/",
    }
    bodies = {}
    print(f"Seed data, {requests} requests each, in process, uncached, DEBUG=false\n")
    print(
        f"{'':<28}{'median':>10}{'p95':>10}{'queries':>9}{'bytes':>10}"
        f"{'median, no SQL kept yet':>25}"
    )
    for label, url in urls.items():
        for _ in range(3):
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)
        timings = []
        for _ in range(requests):
            started = time.perf_counter()
            client.get(url)
            timings.append((time.perf_counter() - started) * 1000)
        # A process's first view of the page: every query compiles its SQL afresh.
        first_views = []
        for _ in range(requests):
            forget_compiled()
            started = time.perf_counter()
            client.get(url)
            first_views.append((time.perf_counter() - started) * 1000)
        with CaptureQueriesContext(connection) as queries:
            body = client.get(url).content
        bodies[label] = body
        figures[label] = {
            "median": statistics.median(timings),
            "p95": _p95(timings),
            "queries": len(queries),
            "bytes": len(body),
        }
        print(
            f"{label + ' ' + url:<28}{statistics.median(timings):>8.1f}ms{_p95(timings):>8.1f}ms"
            f"{len(queries):>9}{len(body):>10,}{statistics.median(first_views):>23.1f}ms"
        )
    return bodies


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(
                urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"}), timeout=2
            ):
                return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer {url}")


def _wrk(url: str, seconds: int, cookie: str = "") -> tuple[float, float]:
    """Requests per second and median latency (ms), with wrk."""
    headers = ["-H", "X-Forwarded-Proto: https"] + (["-H", f"Cookie: {cookie}"] if cookie else [])
    out = subprocess.run(
        ["wrk", "-t2", "-c8", f"-d{seconds}s", "--latency", *headers, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])
    value, unit = re.search(r"50%\s+([\d.]+)(us|ms|s)", out).groups()
    median = float(value) * {"us": 0.001, "ms": 1, "s": 1000}[unit]
    return rate, median


def _python_load(url: str, seconds: int, cookie: str = "") -> tuple[float, float]:
    """A small threaded load generator for machines without wrk (8 connections)."""
    timings: list[float] = []
    stop = time.monotonic() + seconds
    headers = {"X-Forwarded-Proto": "https"} | ({"Cookie": cookie} if cookie else {})
    request = urllib.request.Request(url, headers=headers)

    def worker():
        while time.monotonic() < stop:
            started = time.perf_counter()
            with urllib.request.urlopen(request, timeout=10) as response:
                response.read()
            timings.append((time.perf_counter() - started) * 1000)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return len(timings) / seconds, statistics.median(timings)


def measure_throughput(city_page: bytes, seconds: int, figures: dict, rounds: int = 3) -> None:
    from django.conf import settings

    # A static file of exactly the city page's bytes, served by the same gunicorn.
    static_copy = Path(settings.STATIC_ROOT) / "bench" / "city-page-copy.html"
    static_copy.parent.mkdir(parents=True, exist_ok=True)
    static_copy.write_bytes(city_page)
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    env = {**os.environ, **SETTINGS_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    env["PAGE_CACHE"] = "true"
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=env,
    )
    load = _wrk if shutil.which("wrk") else _python_load
    tool = "wrk, 2 threads, 8 connections" if load is _wrk else "Python threads, 8 connections"
    funder = _funder_cookie()
    try:
        targets = {
            "static": ("static file (same bytes)", "/static/bench/city-page-copy.html", ""),
            "city anonymous": (f"city page /cities/{CITY}/, anonymous", f"/cities/{CITY}/", ""),
            "city funder": (f"city page /cities/{CITY}/, funder", f"/cities/{CITY}/", funder),
            "dashboard anonymous": ("dashboard /dashboard/, anonymous", "/dashboard/", ""),
            "dashboard funder": ("dashboard /dashboard/, funder", "/dashboard/", funder),
        }
        for _, path, _ in targets.values():
            _wait_for(base + path)  # the first request fills the cache
        print(
            f"\nThrough gunicorn (2 workers, DEBUG=false), {tool}, {seconds} s each, in"
            f" {rounds} rounds (each round measures every URL in turn; the median round)\n"
        )
        print(f"{'':<40}{'req/s':>10}{'p50':>10}{'vs static':>11}")
        figures["tool"] = tool
        # Rounds, each measuring every URL in turn: a burst of other work on the shared
        # machine then lowers one round of every URL, not one URL's only measurement.
        measured: dict[str, list[tuple[float, float]]] = {name: [] for name in targets}
        for _ in range(rounds):
            for name, (_, path, cookie) in targets.items():
                measured[name].append(load(base + path, seconds, cookie))
        static_rate = statistics.median(rate for rate, _ in measured["static"])
        for name, (label, _, _) in targets.items():
            rate = statistics.median(rate for rate, _ in measured[name])
            median = statistics.median(p50 for _, p50 in measured[name])
            figures[name] = {"rate": rate, "p50": median}
            print(f"{label:<40}{rate:>10,.0f}{median:>8.1f}ms{rate / static_rate:>10.0%}")
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
        static_copy.unlink(missing_ok=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument(
        "--seconds", type=int, default=4, help="seconds of load per URL in each of 3 rounds"
    )
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()
    os.environ.setdefault("EMBEDDED_PG_DATABASE", DATABASE)
    _setup_django()
    _prepare()
    figures: dict = {"cold": {}, "throughput": {}}
    bodies = measure_in_process(args.requests, figures["cold"])
    measure_throughput(bodies["city page"], args.seconds, figures["throughput"])
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
