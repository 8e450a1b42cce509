"""Load test: 50 concurrent clients for 60 s against gunicorn with production settings.

    .venv/bin/python bench/load.py                       # `make load`
    .venv/bin/python bench/load.py --clients 20 --seconds 10

Runs on the SEED data in its own database (``compact_tracker_bench_load`` on the embedded
server: migrated, seeded and given a funder account here), never the development or test
one. gunicorn (4 workers, its default 30 s timeout, DEBUG=false) listens on 127.0.0.1 only.
Most clients browse anonymously (the city list, directory and pages, the JSON API, the
dashboard and its CSV); a fifth sign in as a funder and use the dashboard and the compare and
cohort views. Every request carries ``X-Forwarded-Proto: https`` (with
TRUSTED_PROXY_COUNT=1, as behind a TLS proxy), so an SSL redirect is never what is measured.

Prints requests, errors (anything but the expected status, or no answer within 30 s),
median and 99th-percentile latency per URL.

Then the cookie check (issue 19): the same number of clients ask for the dashboard for
--cookie-seconds without cookies, then as long again each request with random cookies that
are not the session's or CSRF's (analytics, junk). Such cookies must not bypass the page
cache: the goal is 0 errors and at least half the throughput of the clients without
cookies, printed as met or missed.

Stops by itself, stops gunicorn, and exits 1 if any request failed or the goal was missed.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DATABASE = "compact_tracker_bench_load"
FUNDER, FUNDER_PASSWORD = "load-funder", "load-test-funder-password-1"
SETTINGS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "load-test-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMBEDDED_PG_DATABASE": DATABASE,
    "TRUSTED_PROXY_COUNT": "1",
    "LOG_LEVEL": "ERROR",
}
PUBLIC = [
    "/",
    "/cities/",
    "/cities/?sort=stage",
    "/cities/boston/",
    "/cities/denver/",
    "/api/cities/",
    "/api/assessments/?city=boston",
    "/dashboard/",
    "/dashboard/?as_of=2016-06",
    "/dashboard/data/progress.csv",
]
SIGNED_IN = [
    "/dashboard/",
    "/dashboard/compare/?city=boston&city=denver&city=new-orleans",
    "/dashboard/cohorts/",
    "/dashboard/compare/data.csv?city=boston&city=denver",
]
TIMEOUT = 30.0


def _prepare() -> None:
    os.environ.update(SETTINGS_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    sys.path.insert(0, str(ROOT))
    seed_site_with_user(FUNDER, FUNDER_PASSWORD, role="funder")


def seed_site_with_user(username: str, password: str, *, role: str) -> None:
    """Migrate, seed and collect static files for a benchmark's server, with one signed-in
    user of ``role`` (researcher, lead or funder)."""
    import django

    django.setup()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command

    from accounts.services import give_role

    call_command("migrate", verbosity=0)
    call_command("seed", stdout=open(os.devnull, "w"))  # noqa: SIM115 - closed at exit
    call_command("collectstatic", verbosity=0, interactive=False)
    user, _ = get_user_model().objects.get_or_create(username=username)
    give_role(user, role, password=password)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Client:
    """One simulated browser: a fresh connection per request, cookies kept by hand (they
    are Secure, which a cookie jar would not send over the plain local connection)."""

    def __init__(self, port: int):
        self.port = port
        self.cookies: dict[str, str] = {}

    def request(self, method: str, path: str, body: str | None = None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=TIMEOUT)
        all_headers = {"X-Forwarded-Proto": "https", **(headers or {})}
        if self.cookies:
            all_headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        try:
            connection.request(method, path, body=body, headers=all_headers)
            response = connection.getresponse()
            content = response.read()
            for header in response.headers.get_all("Set-Cookie") or []:
                name, _, rest = header.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
            return response.status, content
        finally:
            connection.close()

    def sign_in(self) -> None:
        status, page = self.request("GET", "/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        body = urllib.parse.urlencode(
            {
                "csrfmiddlewaretoken": token[1].decode(),
                "username": FUNDER,
                "password": FUNDER_PASSWORD,
            }
        )
        status, _ = self.request(
            "POST",
            "/accounts/login/",
            body,
            {
                "Content-Type": "application/x-www-form-urlencoded",
                "Origin": f"https://127.0.0.1:{self.port}",
            },
        )
        if status != 302:
            raise SystemExit(f"The load-test funder could not sign in ({status}).")


def _wait_for(port: int, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if Client(port).request("GET", "/")[0] == 200:
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise SystemExit("gunicorn did not answer.")


def run(port: int, clients: int, seconds: float) -> dict[str, list]:
    results: dict[str, list] = defaultdict(list)  # url -> [(ok, seconds)]
    lock = threading.Lock()
    stop = time.monotonic() + seconds
    signed_in = max(1, clients // 5)

    def browse(number: int) -> None:
        client = Client(port)
        urls = PUBLIC
        if number < signed_in:
            client.sign_in()
            urls = SIGNED_IN
        rng = random.Random(number)
        while time.monotonic() < stop:
            url = rng.choice(urls)
            label = ("funder " if number < signed_in else "") + url
            started = time.perf_counter()
            try:
                status, _ = client.request("GET", url)
                ok = status == 200
            except OSError:  # refused, reset or timed out: an error too
                ok = False
            with lock:
                results[label].append((ok, time.perf_counter() - started))

    threads = [threading.Thread(target=browse, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results


def dashboard_throughput(port: int, clients: int, seconds: float, junk_cookies: bool):
    """(requests, errors) of ``clients`` asking for the anonymous dashboard for ``seconds``,
    each request with fresh random non-session cookies when ``junk_cookies``."""
    counts = {"requests": 0, "errors": 0}
    lock = threading.Lock()
    stop = time.monotonic() + seconds

    def browse(number: int) -> None:
        client = Client(port)
        rng = random.Random(1000 + number)
        while time.monotonic() < stop:
            client.cookies = (
                {
                    f"junk{rng.randrange(10**6)}": f"{rng.getrandbits(64):x}",
                    "_ga": f"GA1.1.{rng.randrange(10**9)}.{rng.randrange(10**9)}",
                    "theme": rng.choice(["dark", "light"]),
                }
                if junk_cookies
                else {}
            )
            try:
                status, _ = client.request("GET", "/dashboard/")
                ok = status == 200
            except OSError:
                ok = False
            with lock:
                counts["requests"] += 1
                counts["errors"] += not ok

    threads = [threading.Thread(target=browse, args=(n,)) for n in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return counts["requests"], counts["errors"]


def cookie_report(plain: tuple[int, int], junk: tuple[int, int], clients, seconds) -> int:
    print(f"\nThe dashboard, {clients} anonymous clients for {seconds:.0f} s each way\n")
    print(f"{'clients':<44}{'requests':>9}{'errors':>8}{'per second':>12}")
    rates = []
    for label, (requests, errors) in (
        ("without cookies", plain),
        ("with random non-session cookies", junk),
    ):
        rates.append(requests / seconds)
        print(f"{label:<44}{requests:>9}{errors:>8}{requests / seconds:>12.0f}")
    ratio = rates[1] / rates[0] if rates[0] else 0.0
    met = junk[1] == 0 and plain[1] == 0 and ratio >= 0.5
    print(
        f"\n0 errors and at least half the throughput of clients without cookies: "
        f"{'met' if met else 'MISSED'} ({ratio:.0%} of it)."
    )
    return 0 if met else 1


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def report(results: dict[str, list], clients: int, seconds: float) -> int:
    print(f"\n{clients} clients for {seconds:.0f} s through gunicorn (4 workers, DEBUG=false)\n")
    print(f"{'URL':<62}{'requests':>9}{'errors':>8}{'p50':>9}{'p99':>9}{'max':>9}")
    total = errors = 0
    everything: list[float] = []
    for label in sorted(results):
        rows = results[label]
        times = [t for _, t in rows]
        bad = sum(1 for ok, _ in rows if not ok)
        total, errors = total + len(rows), errors + bad
        everything += times
        print(
            f"{label[:61]:<62}{len(rows):>9}{bad:>8}{_percentile(times, 0.5):>8.2f}s"
            f"{_percentile(times, 0.99):>8.2f}s{max(times):>8.2f}s"
        )
    print(
        f"{'all':<62}{total:>9}{errors:>8}{_percentile(everything, 0.5):>8.2f}s"
        f"{_percentile(everything, 0.99):>8.2f}s{max(everything):>8.2f}s"
    )
    print(f"\n{total / seconds:.0f} requests per second; {errors} errors.")
    return 1 if errors else 0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--cookie-seconds", type=float, default=20)
    args = parser.parse_args()
    _prepare()
    port = _free_port()
    gunicorn = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi",
            f"--workers={args.workers}",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env={**os.environ, **SETTINGS_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"},
    )
    try:
        _wait_for(port)
        results = run(port, args.clients, args.seconds)
        plain = dashboard_throughput(port, args.clients, args.cookie_seconds, False)
        junk = dashboard_throughput(port, args.clients, args.cookie_seconds, True)
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=30)
    failed = report(results, args.clients, args.seconds)
    failed |= cookie_report(plain, junk, args.clients, args.cookie_seconds)
    sys.exit(failed)


if __name__ == "__main__":
    main()
