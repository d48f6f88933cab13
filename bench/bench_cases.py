"""Service requests at Boston's scale: import and re-import of 320,770 real Open311 requests,
Open311 POST and filtered GET over HTTP through gunicorn. Baselines in the same run: reading
and parsing the dump without the database, and the health check endpoint.

Measured on the bench database (SQLite unless BENCH_DATABASE_URL says otherwise) and then,
when a PostgreSQL server answers at BENCH_PG_URL (default: the local one, trust auth), again
on a throwaway PostgreSQL database in a child process, reported with the suffix `_pg`.
BENCH_CASES_PG=0 skips the PostgreSQL pass."""

from __future__ import annotations

import contextlib
import gzip
import io
import json
import os
import random
import time
import urllib.parse
from pathlib import Path

from django.core.management import call_command
from django.db import DatabaseError, connection

from bench.gunicorn import serve
from bench.httpload import load
from bench.pgchild import measure_in_fresh_postgres, postgres_available

BOSTON = Path(__file__).resolve().parents[2] / "shared/data/boston-open311/requests.jsonl.gz"


def _parse_only() -> float:
    started = time.perf_counter()
    with gzip.open(BOSTON, "rt") as f:
        for line in f:
            json.loads(line)
    return time.perf_counter() - started


def _import() -> float:
    started = time.perf_counter()
    call_command("import-open311", str(BOSTON), stdout=io.StringIO(), stderr=io.StringIO())
    return time.perf_counter() - started


def run() -> dict[str, float]:
    if not BOSTON.exists():
        print(f"skipped: {BOSTON} not found")
        return {}
    if connection.vendor == "postgresql":  # asked for PostgreSQL only
        return {f"{key}_pg": value for key, value in measure().items()}
    results = measure()
    if os.environ.get("BENCH_CASES_PG", "1") != "0":
        results.update(_measure_on_postgresql())
    return results


def _measure_on_postgresql() -> dict[str, float]:
    """The same measurements on a fresh PostgreSQL database, in a child process."""
    problem = postgres_available()
    if problem:
        print(f"PostgreSQL pass skipped: {problem}")
        return {}
    results = measure_in_fresh_postgres("bench.bench_cases")
    return {f"{key}_pg": value for key, value in results.items()}


def _settle() -> None:
    """Measure the steady state, not the import's aftermath: on PostgreSQL, 320k fresh rows
    set autovacuum and the checkpointer to work during the next minute, on the same two cores
    as the server. A city runs VACUUM after a bulk load (or autovacuum catches up); do it
    before the clock starts."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("VACUUM (ANALYZE)")
        # CHECKPOINT needs a superuser or pg_checkpoint; the vacuum is the main part.
        with contextlib.suppress(DatabaseError):
            cursor.execute("CHECKPOINT")


def measure() -> dict[str, float]:
    call_command("migrate", verbosity=0)
    from cityhall.cases.models import Case
    from cityhall.demo.loader import load_demo_city
    from cityhall.open311.actions import create_api_key
    from cityhall.places.models import Address

    results = {"cases_baseline_parse_only_s": _parse_only()}
    results["cases_import_boston_s"] = _import()
    results["cases_reimport_boston_s"] = _import()
    results["cases_imported"] = float(Case.objects.count())

    load_demo_city()  # request types and addresses to post against
    _settle()
    _, key = create_api_key(actor=None, name="bench")
    rng = random.Random(5)
    addresses = list(Address.objects.values_list("line", flat=True)[:500])
    codes = [
        "baltimore-trm-pothole-repair",
        "baltimore-sw-dirty-alley",
        "baltimore-trs-parking-complaint",
    ]
    posts = [
        (
            "/open311/v2/requests.json",
            urllib.parse.urlencode(
                {
                    "api_key": key,
                    "service_code": rng.choice(codes),
                    "address_string": rng.choice(addresses),
                    "description": f"Bench report {i}",
                }
            ).encode(),
        )
        for i in range(5000)
    ]
    boston_codes = [
        "4f389210e75084437f0001e5",
        "4f38920fe75084437f00018d",
        "4f389210e75084437f0001de",
    ]
    gets = []
    for _ in range(300):
        year = rng.randint(2015, 2019)
        month = rng.randint(1, 11)
        gets.append(
            "/open311/v2/requests.json?"
            + urllib.parse.urlencode(
                {
                    "service_code": rng.choice(boston_codes),
                    "status": rng.choice(["open", "closed"]),
                    "start_date": f"{year}-{month:02d}-01T00:00:00-05:00",
                    "end_date": f"{year}-{month + 1:02d}-01T00:00:00-05:00",
                }
            )
        )
    # The de-facto extensions over the same data: a box or a circle around a Boston point,
    # changes since a date, and the update history.
    extended = []
    for i in range(300):
        year = rng.randint(2015, 2019)
        month = rng.randint(1, 11)
        lat = 42.30 + rng.random() * 0.07
        lng = -71.12 + rng.random() * 0.10
        where = (
            {"bbox": f"{lng - 0.01:.5f},{lat - 0.01:.5f},{lng + 0.01:.5f},{lat + 0.01:.5f}"}
            if i % 2
            else {"lat": f"{lat:.5f}", "long": f"{lng:.5f}", "radius": "800"}
        )
        extended.append(
            "/open311/v2/requests.json?"
            + urllib.parse.urlencode(
                {
                    "start_date": f"{year}-{month:02d}-01T00:00:00-05:00",
                    "end_date": f"{year}-{month + 1:02d}-01T00:00:00-05:00",
                    "extensions": "true",
                    **where,
                }
            )
        )
    with serve() as port:
        load(port, ["/healthz"], seconds=1)
        floor = load(port, ["/healthz"], seconds=4)
        post = load(port, posts, seconds=8)
        get = load(port, gets, seconds=8)
        get_extended = load(port, extended, seconds=8)
    results.update(
        {
            "cases_open311_post_per_s": post["qps"],
            "cases_open311_post_p99_ms": post["p99_ms"],
            "cases_open311_post_errors": float(post["errors"]),
            "cases_open311_get_p99_ms": get["p99_ms"],
            "cases_open311_get_per_s": get["qps"],
            "cases_open311_get_extended_p99_ms": get_extended["p99_ms"],
            "cases_open311_get_errors": float(get["errors"] + get_extended["errors"]),
            "cases_baseline_healthz_http_p99_ms": floor["p99_ms"],
        }
    )
    from bench.console_queue import run_queue

    results.update(run_queue())  # the staff queue over the same imported backlog
    return results
