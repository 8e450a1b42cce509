"""Benchmark the dashboard on SYNTHETIC data: 1,000 cities x 40 quarterly assessments.

    .venv/bin/python bench/dashboard.py             # build the dataset if missing, then time
    .venv/bin/python bench/dashboard.py --rebuild   # drop and rebuild the synthetic rows first
    .venv/bin/python bench/dashboard.py --setup-only  # build it for `make demo`, no timing
    .venv/bin/python bench/dashboard.py --cities 5000 --json var/bench/5000.json

With ``--cities`` other than 1,000 the default database is ``compact_tracker_bench_<N>``.

The data lives in its own database, never the development or test one: by default
``compact_tracker_bench`` on the embedded PostgreSQL server (EMBEDDED_PG_DATABASE), or the
server named by DATABASE_URL, whose database name must then contain "bench". Every city is
named "Synthetic City NNNN" and cites a source titled as synthetic; `make demo` browses it
with SYNTHETIC_DATA=true so every page carries the synthetic-data banner.

Prints the median and 95th-percentile server time, cold (every cache off: Django's test
Client, in process, so no network), of the dashboard, a three-city timeline and the
workspace's assessment list as a lead, their query counts and the dashboard's page weight;
``--json`` also writes the figures for bench/goals.py (`make bench`).
"""

from __future__ import annotations

import argparse
import datetime
import gzip
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DB = "compact_tracker_bench"
CITIES, QUARTERS, FIRST_YEAR = 1_000, 40, 2010
LEAD, LEAD_PASSWORD = "bench-lead", "bench-lead-password-not-secret-1"
MARKER_SOURCE = "synthetic-benchmark-data"
STATES = ["CA", "CO", "FL", "IL", "LA", "MA", "NY", "OH", "TN", "TX"]
TYPES = [
    ("shared-best-practices", "Shared best practices", "low", "low"),
    ("co-location", "Co-location", "high", "low"),
    ("shared-professional-development", "Shared professional development", "high", "low"),
    ("shared-advocacy", "Shared advocacy", "low", "high"),
    ("student-discipline", "Student discipline", "low", "high"),
    ("special-education", "Special education", "low", "high"),
    ("common-enrollment", "Common enrollment", "high", "high"),
    ("common-accountability-framework", "Common accountability framework", "high", "high"),
    ("school-replacement", "School replacement / turnaround", "high", "high"),
    ("other", "Other", "", ""),
]


def _choose_database(cities: int) -> None:
    """Point Django at the benchmark database and refuse any other."""
    url = os.environ.get("DATABASE_URL")
    if url:
        name = url.rsplit("/", 1)[-1].split("?", 1)[0]
        if "bench" not in name:
            sys.exit(
                f"Refusing to write synthetic data into {name!r}: use a database named *bench*."
            )
        return
    default = BENCH_DB if cities == CITIES else f"{BENCH_DB}_{cities}"
    name = os.environ.setdefault("EMBEDDED_PG_DATABASE", default)
    if "bench" not in name:
        sys.exit(f"Refusing to write synthetic data into {name!r}: use a database named *bench*.")


def _setup_django(timing: bool) -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if timing:
        # Time the app as production runs it: no debug cursor or template debugging.
        os.environ["DEBUG"] = "false"
        os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
        os.environ.setdefault("ALLOWED_HOSTS", "127.0.0.1")
        # As behind a TLS proxy: requests say X-Forwarded-Proto: https, so what is timed
        # is the page, never the SSL redirect.
        os.environ.setdefault("TRUSTED_PROXY_COUNT", "1")
        # Uncached server time: no whole-page or part caching in this process.
        os.environ["PAGE_CACHE"] = "false"
    import django

    django.setup()
    if timing:
        # As config/wsgi.py serves it.
        from config.memory import tune_garbage_collector

        tune_garbage_collector()


def build(rebuild: bool, city_count: int = CITIES) -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from cities.models import City, Event
    from common.seeding import seeding
    from compacts.models import (
        Assessment,
        Compact,
        Initiative,
        InitiativeStatus,
        InitiativeType,
        PublishedFigure,
        Stage,
        TrajectoryFinding,
    )
    from sources.models import Citation, Source

    call_command("migrate", verbosity=0)
    _lead()
    in_place = Source.objects.filter(key=MARKER_SOURCE).exists()
    if in_place and not rebuild and City.objects.count() == city_count:
        print(f"Synthetic dataset already in place ({city_count} cities).")
        return
    started = time.perf_counter()
    rng = random.Random(20170101)
    # Synthetic rows are nobody's news: marked like the seed's, so no trigger records their
    # findings for alerts.
    with transaction.atomic(), seeding():
        # Only ever the bench database (see _choose_database); TRUNCATE skips the
        # per-row history signals a cascade delete would fire.
        tables = [
            model._meta.db_table
            for model in (Citation, PublishedFigure, Event, Initiative, InitiativeType, City)
        ] + [Source._meta.db_table, Assessment.history.model._meta.db_table]
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {', '.join(tables)} CASCADE")
        names = ["Baseline", "Emerging", "Basic", "Intermediate", "Advanced", "Embedded"]
        stages = [
            Stage.objects.get_or_create(
                order=i, defaults={"key": n.lower(), "name": n, "description": n}
            )[0]
            for i, n in enumerate(names)
        ]
        source = Source.objects.create(
            key=MARKER_SOURCE,
            title="SYNTHETIC benchmark data (not a real publication)",
            kind=Source.Kind.OTHER,
            date_precision="unknown",
        )
        cities = City.objects.bulk_create(
            City(
                slug=f"synthetic-city-{i:04d}",
                name=f"Synthetic City {i:04d}",
                state=rng.choice(STATES),
                entity_name=f"Synthetic district {i:04d} (not real)",
                kind=City.Kind.COMPACT_CITY,
                collaboration_summary="Synthetic data for load testing.",
            )
            for i in range(1, city_count + 1)
        )
        Compact.objects.bulk_create(
            Compact(
                city=city,
                program=rng.choice(["gates_dccc", "gates_dccc", "florida_doe"]),
                signing_year=rng.randint(2010, 2015),
                signing_grant_usd=100_000,
                significant_funding=rng.random() < 0.3,
                portfolio_at_signing=rng.choice([True, False, None]),
            )
            for city in cities
        )
        now = timezone.now()
        assessments = []
        for city in cities:
            stage = rng.randint(0, 2)
            for q in range(QUARTERS):
                stage = min(5, max(0, stage + rng.choice([-1, 0, 0, 0, 1])))
                inferred = rng.random() < 0.2
                assessments.append(
                    Assessment(
                        city=city,
                        period_start=datetime.date(FIRST_YEAR + q // 4, 1 + 3 * (q % 4), 1),
                        period_precision="quarter",
                        consensus_stage=stages[stage],
                        stage_provenance="inferred" if inferred else "stated",
                        stage_reasoning="Synthetic." if inferred else "",
                        stage_confidence="low" if inferred else "",
                        status="published",
                        published_at=now,
                    )
                )
        Assessment.objects.bulk_create(assessments, batch_size=5_000)
        TrajectoryFinding.objects.bulk_create(
            TrajectoryFinding(
                key=f"synthetic-finding-{city.pk}",
                city=city,
                direction=rng.choice(["lost_ground", "stalled", "progressed"]),
                summary="Synthetic finding.",
                period_start=datetime.date(rng.randint(2011, 2019), 1, 1),
                period_precision="year",
            )
            for city in cities[::5]
        )
        types = InitiativeType.objects.bulk_create(
            InitiativeType(key=k, label=label, cost=c, benefit=b) for k, label, c, b in TYPES
        )
        initiatives = Initiative.objects.bulk_create(
            Initiative(
                key=f"synthetic-initiative-{city.pk}-{n}",
                city=city,
                type=rng.choice(types),
                title=f"Synthetic initiative {n}",
                start_year=rng.randint(2010, 2018),
            )
            for city in cities
            for n in range(2)
        )
        InitiativeStatus.objects.bulk_create(
            InitiativeStatus(
                initiative=initiative,
                status=rng.choice(["active", "achieved", "stalled", "abandoned"]),
                as_of_year=initiative.start_year + 1,
            )
            for initiative in initiatives
        )
        for n in range(200):
            event = Event.objects.create(
                key=f"synthetic-event-{n}",
                kind=rng.choice(["leadership_transition", "election_or_ballot", "signing"]),
                title=f"Synthetic event {n}",
                occurred_on=datetime.date(rng.randint(2010, 2019), rng.randint(1, 12), 1),
                date_precision="month",
            )
            event.cities.add(*rng.sample(cities, 3))
        for key, value, stage in [
            ("stage-earliest-count", 400, None),
            ("stage-basic-count", 300, stages[2]),
            ("stage-advanced-count", 100, stages[4]),
        ]:
            figure = PublishedFigure.objects.create(
                key=key,
                value=value,
                unit="cities",
                scope="Synthetic cities",
                stage=stage,
                as_of=datetime.date(2017, 1, 1),
                as_of_precision="month",
                comparison="partial",
                compares=f"stage:{stage.key if stage else 'earliest'}",
                comparison_note="Synthetic counts name no city.",
            )
            Citation.objects.create(
                target=figure, source=source, quote="Synthetic count.", provenance="stated"
            )
        for city in cities:
            Citation.objects.create(
                target=city, source=source, quote="Synthetic city.", provenance="stated"
            )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh planner statistics after bulk inserts
    print(
        f"Built {city_count} synthetic cities x {QUARTERS} quarterly assessments "
        f"({len(assessments)} assessments) in {time.perf_counter() - started:.1f} s."
    )


def _lead():
    """The benchmark's lead (the workspace list is timed as a lead)."""
    from django.contrib.auth import get_user_model

    from accounts.services import give_role

    user, _ = get_user_model().objects.get_or_create(username=LEAD)
    return give_role(user, "lead", password=LEAD_PASSWORD)


def _time(client, url: str, requests: int, *, no_kept_sql=False) -> tuple[list[float], bytes]:
    """Server times of ``url``; with ``no_kept_sql``, each request compiles its SQL afresh
    (a process's first view of the page, common.sql.values_rows)."""
    from common.sql import forget_compiled

    for _ in range(3):  # warm up: connections, template and content-type caches
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
    timings = []
    for _ in range(requests):
        if no_kept_sql:
            forget_compiled()
        started = time.perf_counter()
        response = client.get(url)
        timings.append((time.perf_counter() - started) * 1000)
    return timings, response.content


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def measure(requests: int, json_path: str = "") -> None:
    from django.contrib.staticfiles import finders
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, override_settings

    from cities.models import City

    cities = City.objects.count()
    assessments = connection.cursor()
    assessments.execute("SELECT count(*) FROM compacts_assessment")
    (assessment_count,) = assessments.fetchone()
    slugs = list(City.objects.order_by("slug").values_list("slug", flat=True)[:3])
    timeline_url = "/dashboard/timeline/?" + "&".join(f"city={s}" for s in slugs)
    storages = {"staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=storages):
        client = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        # Any cookie makes a request skip the whole-page cache: this times the server's
        # own work. bench/pages.py measures cached pages through gunicorn.
        client.cookies["bench-uncached"] = "1"
        dashboard, html = _time(client, "/dashboard/", requests)
        first_view, _ = _time(client, "/dashboard/", requests, no_kept_sql=True)
        timeline, _ = _time(client, timeline_url, requests)
        lead = Client(HTTP_HOST="127.0.0.1", HTTP_X_FORWARDED_PROTO="https")
        lead.force_login(_lead())
        workspace, _ = _time(lead, "/workspace/", requests)

    assets = {
        "plotly.js (vendored basic bundle)": "vendor/plotly/plotly-basic.min.js",
        "dashboard.js": "js/dashboard.js",
        "site.css": "css/site.css",
    }
    print(f"\nSYNTHETIC dataset: {cities} cities, {assessment_count} assessments")
    print(f"{requests} requests each, Django test Client in process, DEBUG=false\n")
    print(f"{'':<34}{'median':>10}{'p95':>10}")
    for label, values in [
        ("dashboard  /dashboard/", dashboard),
        ("  the same, no SQL kept yet", first_view),
        ("city timeline (3 cities)", timeline),
        ("workspace list as a lead", workspace),
    ]:
        print(f"{label:<34}{statistics.median(values):>8.1f}ms{_p95(values):>8.1f}ms")
    print("\nPage weight of /dashboard/ (bytes, raw / gzip):")
    total_raw, total_gz = len(html), len(gzip.compress(html))
    print(f"  {'HTML':<34}{len(html):>10,} / {len(gzip.compress(html)):>9,}")
    for label, path in assets.items():
        data = Path(finders.find(path)).read_bytes()
        total_raw += len(data)
        total_gz += len(gzip.compress(data))
        print(f"  {label:<34}{len(data):>10,} / {len(gzip.compress(data)):>9,}")
    print(f"  {'total':<34}{total_raw:>10,} / {total_gz:>9,}")
    counts = {}
    for label, who, url in [
        ("dashboard", client, "/dashboard/"),
        ("timeline", client, timeline_url),
        ("workspace", lead, "/workspace/"),
    ]:
        with CaptureQueriesContext(connection) as queries, override_settings(STORAGES=storages):
            who.get(url)
        counts[label] = len(queries)
    print(
        f"\nQueries: dashboard {counts['dashboard']}, timeline {counts['timeline']},"
        f" workspace list {counts['workspace']}"
    )
    if json_path:
        figures = {
            "cities": cities,
            "assessments": assessment_count,
            "dashboard_median": statistics.median(dashboard),
            "dashboard_p95": _p95(dashboard),
            "dashboard_html": len(html),
            "dashboard_html_gzip": len(gzip.compress(html)),
            "timeline_median": statistics.median(timeline),
            "workspace_median": statistics.median(workspace),
            "queries": counts,
        }
        Path(json_path).parent.mkdir(parents=True, exist_ok=True)
        Path(json_path).write_text(json.dumps(figures, indent=2))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rebuild", action="store_true", help="rebuild the synthetic rows")
    parser.add_argument("--setup-only", action="store_true", help="build the data, no timing")
    parser.add_argument("--requests", type=int, default=30, help="timed requests per page")
    parser.add_argument("--cities", type=int, default=CITIES, help="synthetic cities")
    parser.add_argument("--json", default="", help="also write the figures to this file")
    args = parser.parse_args()
    _choose_database(args.cities)
    _setup_django(timing=not args.setup_only)
    build(args.rebuild, args.cities)
    if not args.setup_only:
        measure(args.requests, args.json)


if __name__ == "__main__":
    main()
