"""Does reading uploaded PDFs slow the public pages? The city page's p95, idle and while
four PDFs of repeated text operators are uploaded at once and read.

    .venv/bin/python bench/pdf_uploads.py                    # `make bench-uploads`
    .venv/bin/python bench/pdf_uploads.py --no-page-cache    # every city page rendered

Runs on the SEED data in its own database (``compact_tracker_bench_uploads`` on the
embedded server: migrated, seeded and given a researcher here). gunicorn (4 workers, its
default 30 s timeout, DEBUG=false) listens on 127.0.0.1 only, beside one worker
(``manage.py db_worker``) with the default reading limits. Four visitors ask for the city
page in turn (a 50 ms pause between requests) for --idle seconds; then four signed-in
researchers each post the same 12-page PDF (each page one compressed stream of a million
``(x) Tj`` operators, about 130 KB) at the same moment, and the visitors go on for --window
seconds and until the worker has settled all four sources (at most --cap seconds); then
--idle seconds more without uploads. The idle p95 is that of the first and last stretch
together. Prints both p95s, their ratio, met or missed (the goal: under 1.5x), how long
each upload took to answer and how each source ended. --control posts nothing (how noisy
is the machine?); --no-count has the worker skip its operator count, so that only the
child's limits stop the reading.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import (  # noqa: E402
    Client,
    _free_port,
    _percentile,
    _wait_for,
    seed_site_with_user,
)
from tests.pdfs import operator_flood_pdf  # noqa: E402

DATABASE = "compact_tracker_bench_uploads"
RESEARCHER, PASSWORD = "bench-researcher", "bench-uploads-researcher-password-1"
CITY_PAGE = "/cities/boston/"
SETTINGS_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "upload-bench-only-not-a-secret-" + "x" * 40,
    "ALLOWED_HOSTS": "127.0.0.1",
    "EMBEDDED_PG_DATABASE": DATABASE,
    "TRUSTED_PROXY_COUNT": "1",
    "LOG_LEVEL": "ERROR",
}
GOAL = 1.5


def _prepare() -> None:
    os.environ.update(SETTINGS_ENV)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    seed_site_with_user(RESEARCHER, PASSWORD, role="researcher")


def _sign_in(port: int) -> Client:
    client = Client(port)
    _, page = client.request("GET", "/accounts/login/")
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
    body = f"csrfmiddlewaretoken={token}&username={RESEARCHER}&password={PASSWORD}"
    status, _ = client.request(
        "POST",
        "/accounts/login/",
        body,
        {
            "Content-Type": "application/x-www-form-urlencoded",
            "Origin": f"https://127.0.0.1:{port}",
        },
    )
    if status != 302:
        raise SystemExit(f"The bench researcher could not sign in ({status}).")
    return client


def _form_token(client: Client) -> bytes:
    _, page = client.request("GET", "/workspace/sources/new/")
    return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1]


def _upload(client: Client, port: int, title: str, pdf: bytes, token: bytes):
    """POST the PDF as a new source; the status and seconds until the answer."""
    boundary = uuid.uuid4().hex.encode()
    parts = [(b"csrfmiddlewaretoken", token), (b"title", title.encode()), (b"kind", b"report")]
    body = b"".join(
        b'--%s\r\nContent-Disposition: form-data; name="%s"\r\n\r\n%s\r\n' % (boundary, k, v)
        for k, v in parts
    )
    body += (
        b'--%s\r\nContent-Disposition: form-data; name="file"; filename="flood.pdf"\r\n'
        b"Content-Type: application/pdf\r\n\r\n" % boundary + pdf + b"\r\n--%s--\r\n" % boundary
    )
    started = time.perf_counter()
    status, _ = client.request(
        "POST",
        "/workspace/sources/new/",
        body,
        {
            "Content-Type": f"multipart/form-data; boundary={boundary.decode()}",
            "Origin": f"https://127.0.0.1:{port}",
        },
    )
    return status, time.perf_counter() - started


def _visit(port: int, until: threading.Event, times: list[float], errors: list[int]) -> None:
    client = Client(port)
    while not until.is_set():
        started = time.perf_counter()
        try:
            status, _ = client.request("GET", CITY_PAGE)
        except OSError:
            status = 0
        times.append(time.perf_counter() - started)
        if status != 200:
            errors.append(status)
        time.sleep(0.05)


def _visitors(port: int, seconds: float | None, settled=None) -> tuple[list[float], list[int]]:
    """Four visitors on the city page for ``seconds``, or until ``settled()`` is true."""
    stop, times, errors = threading.Event(), [], []
    threads = [threading.Thread(target=_visit, args=(port, stop, times, errors)) for _ in range(4)]
    for thread in threads:
        thread.start()
    started = time.monotonic()
    while True:
        time.sleep(0.5)
        elapsed = time.monotonic() - started
        if (seconds is not None and elapsed >= seconds) or (settled and settled(elapsed)):
            break
    stop.set()
    for thread in threads:
        thread.join()
    return times, errors


def _pending(titles: list[str]) -> list[tuple[str, str, str]]:
    from sources.models import Source

    return list(
        Source.objects.filter(title__in=titles)
        .order_by("title")
        .values_list("title", "text_status", "text_error")
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--idle", type=float, default=20, help="seconds of idle measurement")
    parser.add_argument("--cap", type=float, default=240, help="most seconds to wait for reading")
    parser.add_argument("--no-page-cache", action="store_true")
    parser.add_argument(
        "--no-count",
        action="store_true",
        help="the worker does not count a page's operators first: only the limits stop it",
    )
    parser.add_argument("--window", type=float, default=60, help="least seconds measured")
    parser.add_argument("--control", action="store_true", help="post nothing")
    args = parser.parse_args()
    if args.no_page_cache:
        SETTINGS_ENV["PAGE_CACHE"] = "false"
    if args.no_count:
        SETTINGS_ENV["TEXT_READ_MAX_PAGE_OPERATORS"] = "0"
    _prepare()
    from sources.models import Source

    Source.objects.filter(title__startswith="Bench flood ").delete()
    pdf = operator_flood_pdf(pages=12, operators=1_000_000)
    env = {**os.environ, **SETTINGS_ENV, "DJANGO_SETTINGS_MODULE": "config.settings"}
    port = _free_port()
    python = Path(sys.executable)
    gunicorn = subprocess.Popen(
        [str(python.with_name("gunicorn")), "config.wsgi", "--workers=4",
         f"--bind=127.0.0.1:{port}", "--log-level=warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    worker = subprocess.Popen(
        [str(python), "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
         "--verbosity=0"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    try:
        _wait_for(port)
        for _ in range(20):  # warm every gunicorn worker (and the page cache)
            Client(port).request("GET", CITY_PAGE)
        idle, idle_errors = _visitors(port, args.idle)

        titles = [f"Bench flood {n}" for n in range(4)]
        researchers = [_sign_in(port) for _ in titles]
        tokens = [_form_token(client) for client in researchers]
        answers: list[tuple[int, float]] = [(0, 0.0)] * 4

        def upload(n: int) -> None:
            answers[n] = _upload(researchers[n], port, titles[n], pdf, tokens[n])

        uploads = [threading.Thread(target=upload, args=(n,)) for n in range(4)]
        if args.control:
            uploads = []
        started = time.monotonic()
        for thread in uploads:
            thread.start()

        done_at: list[float] = []  # seconds from the uploads until all four were settled

        def settled(elapsed: float) -> bool:
            if args.control:
                return elapsed >= args.window
            if not done_at and not any(t.is_alive() for t in uploads):
                rows = _pending(titles)
                if len(rows) == 4 and all(s != "reading" for _, s, _ in rows):
                    done_at.append(elapsed)
            return elapsed >= args.cap or (elapsed >= args.window and bool(done_at))

        loaded, loaded_errors = _visitors(port, None, settled)
        busy = time.monotonic() - started
        for thread in uploads:
            thread.join()
        # Idle again, so that both samples span the same stretch of a shared machine.
        after, after_errors = _visitors(port, args.idle)
        idle, idle_errors = idle + after, idle_errors + after_errors
    finally:
        worker.send_signal(signal.SIGTERM)
        gunicorn.send_signal(signal.SIGTERM)
        worker.wait(timeout=60)
        gunicorn.wait(timeout=30)

    idle_p95, loaded_p95 = _percentile(idle, 0.95), _percentile(loaded, 0.95)
    ratio = loaded_p95 / idle_p95
    cache = "off" if args.no_page_cache else "on"
    count = "off" if args.no_count else "on"
    print(f"\nCity page {CITY_PAGE} (page cache {cache}), 4 visitors, gunicorn 4 workers")
    print(f"  worker: operator count {count}")
    if args.control:
        print("  CONTROL RUN: nothing uploaded in the middle stretch")
    middle = "control" if args.control else "uploads"
    for label, times, bad in [("idle", idle, idle_errors), (middle, loaded, loaded_errors)]:
        p95, top = _percentile(times, 0.95) * 1000, max(times) * 1000
        print(f"  {label + ':':<9}{len(times):>5} requests, p95 {p95:6.1f} ms, max {top:6.0f} ms,"
              f" {len(bad)} errors")  # fmt: skip
    if not args.control:
        read = f"{done_at[0]:.0f} s" if done_at else f"not within {args.cap:.0f} s"
        print(f"  ({busy:.0f} s measured from the uploads; all four sources settled in {read})")
    else:
        print(f"  ({busy:.0f} s measured in the middle, nothing posted)")
    print(f"  ratio {ratio:.2f} (goal under {GOAL}): {'met' if ratio < GOAL else 'missed'}")
    if not args.control:
        print(f"\nFour uploads of a {len(pdf) // 1024} KB, 12-page PDF of repeated text operators:")
    for (status, seconds), (title, state, error) in zip(answers, _pending(titles), strict=False):
        outcome = f"could not read: {error}" if state == "failed" else state or "text held"
        print(f"  {title}: answered {status} in {seconds:.2f} s; {outcome}")
    sys.exit(0 if ratio < GOAL and not idle_errors and not loaded_errors else 1)


if __name__ == "__main__":
    main()
