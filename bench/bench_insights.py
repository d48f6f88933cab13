"""Insights at scale, on PostgreSQL: Boston's 320,770 real Open311 requests imported through
the real importer, scaled up in SQL to BENCH_INSIGHTS_CASES cases (default 10,000,000) with
jitter in time and place (copies spread over the demo city's neighbourhoods and request types,
times shifted up to ±10 days, durations scaled 0.5–1.5×). Then timed: the full rollup build;
an incremental refresh after 10,000 new cases; every dashboard panel's query (p99 over varied
filters); the full dashboard page over HTTP through gunicorn, signed in as the city admin.
Baseline in the same run: the same panels computed directly over the raw cases table.

Runs in a throwaway PostgreSQL database in a child process (bench.pgchild)."""

from __future__ import annotations

import io
import os
import random
import statistics
import sys
import time
import urllib.parse
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection

from bench.pgchild import measure_in_fresh_postgres, postgres_available

BOSTON = Path(__file__).resolve().parents[2] / "shared/data/boston-open311/requests.jsonl.gz"
TARGET = int(os.environ.get("BENCH_INSIGHTS_CASES", "10000000"))
PANEL_RUNS = int(os.environ.get("BENCH_INSIGHTS_PANEL_RUNS", "60"))
RAW_RUNS = int(os.environ.get("BENCH_INSIGHTS_RAW_RUNS", "5"))


def run() -> dict[str, float]:
    if not BOSTON.exists():
        print(f"skipped: {BOSTON} not found")
        return {}
    if connection.vendor == "postgresql":
        return measure()
    problem = postgres_available()
    if problem:
        print(f"skipped: the insights benchmark needs PostgreSQL ({problem})")
        return {}
    return measure_in_fresh_postgres("bench.bench_insights")


def _log(message: str) -> None:
    print(f"[insights {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def _sql(statement: str, params: Any = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _scalar(statement: str, params: Any = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)
        return cursor.fetchone()[0]


COPY_COLUMNS = """reference, service_type_id, department_id, status, channel, description,
    address_text, lat, lng, neighbourhood_id, contact_email, contact_phone, contact_name, answers,
    reopened_count, satisfaction, status_notes, media_url, source, due_at, created_at,
    updated_at, closed_at, expected_quantile"""


def _copy_sql(limit_clause: str) -> str:
    """Copies of the imported Boston cases (alias c, copy number g), placed in the demo city.
    Every "random" choice is a hash of (case id, copy number), so a run is repeatable and the
    database never pulls a volatile expression into several places."""
    return f"""
    INSERT INTO cases_case ({COPY_COLUMNS})
    SELECT NULL, t.id, t.department_id, s.status, s.channel, 'Bench copy of a Boston request',
        '', a.centroid_lat + (((s.h %% 1000) / 1000.0) - 0.5) * 0.014,
        a.centroid_lng + ((((s.h / 1000) %% 1000) / 1000.0) - 0.5) * 0.018, a.id, '', '', '',
        '{{}}', CASE WHEN s.h %% 33 = 0 THEN 1 ELSE 0 END,
        CASE WHEN s.closed_at IS NOT NULL AND s.h %% 9 = 0 THEN 1 + (s.h / 7) %% 5 END,
        '', '', 'bench', s.created_at + make_interval(days => t.sla), s.created_at,
        coalesce(s.closed_at, s.created_at), s.closed_at, NULL
    FROM (
        SELECT c.id, c.status, c.service_type_id, c.h,
            CASE WHEN c.h %% 100 < 40 THEN 'web' WHEN c.h %% 100 < 62 THEN 'phone'
                 WHEN c.h %% 100 < 77 THEN 'api' WHEN c.h %% 100 < 88 THEN 'sms'
                 WHEN c.h %% 100 < 94 THEN 'email' ELSE 'open311' END AS channel,
            c.created_new AS created_at,
            CASE WHEN c.closed_at IS NOT NULL THEN c.created_new
                + (c.closed_at - c.created_at) * (0.5 + (c.h %% 101) / 100.0) END AS closed_at
        FROM (
            SELECT b.*, abs(hashint8(b.id * 1000 + %(g)s)) AS h,
                least(b.created_at + %(shift)s::interval
                + make_interval(secs => (abs(hashint8(b.id * 7919 + %(g)s)) %% 1728000) - 864000),
                now() - interval '1 hour') AS created_new
            FROM cases_case b WHERE b.source LIKE 'import:%%' {limit_clause}
        ) c
    ) s
    JOIN bench_types t ON t.idx = s.service_type_id %% (SELECT count(*) FROM bench_types)
    JOIN bench_areas a ON a.idx = (s.h / 1000000) %% (SELECT count(*) FROM bench_areas)
    """


def _load(target: int) -> dict[str, float]:
    from cityhall.demo.loader import load_demo_city

    started = time.perf_counter()
    load_demo_city()
    _log("demo city loaded")
    call_command("import-open311", str(BOSTON), stdout=io.StringIO(), stderr=io.StringIO())
    imported = _scalar("SELECT count(*) FROM cases_case WHERE source LIKE 'import:%%'")
    _log(f"imported {imported} Boston requests")
    _sql("""CREATE TABLE bench_areas AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id,
            centroid_lat, centroid_lng FROM places_neighbourhood""")
    _sql("""CREATE TABLE bench_types AS SELECT (row_number() OVER (ORDER BY id)) - 1 AS idx, id,
            department_id, coalesce(sla_days, 5) AS sla FROM catalog_servicetype
            WHERE source NOT LIKE 'import:%%'""")
    latest = _scalar("SELECT max(created_at) FROM cases_case WHERE source LIKE 'import:%%'")
    from django.utils import timezone

    shift = f"{int((timezone.now() - latest).total_seconds()) - 86400} seconds"
    # Bulk load without the secondary indexes, then build them (what a DBA does for a load).
    with connection.cursor() as cursor:
        cursor.execute(
            """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case'
               AND indexname NOT IN (SELECT conname FROM pg_constraint)"""
        )
        indexes = cursor.fetchall()
    for name, _definition in indexes:
        _sql(f'DROP INDEX "{name}"')
    copies = 0
    existing = _scalar("SELECT count(*) FROM cases_case")
    while existing < target:
        copies += 1
        wanted = target - existing
        limit = f"ORDER BY b.id LIMIT {wanted}" if wanted < imported else ""
        _sql(_copy_sql(limit), {"g": copies, "shift": shift})
        existing = _scalar("SELECT count(*) FROM cases_case")
        _log(f"copy {copies}: {existing} cases")
    _sql("SET maintenance_work_mem = '512MB'")
    for _name, definition in indexes:
        _sql(definition)
    _log("indexes rebuilt")
    _sql("VACUUM (ANALYZE) cases_case")
    return {"insights_cases": float(existing), "insights_load_s": time.perf_counter() - started}


def _variants(n: int, seed: int) -> list[Any]:
    import datetime as dt

    from django.db.models import Count
    from django.utils import timezone

    from cityhall.cases.models import Case
    from cityhall.insights.queries import Filters
    from cityhall.places.models import Neighbourhood

    rng = random.Random(seed)
    today = timezone.localdate()
    departments = [None] + list(
        Case.objects.filter(source="bench").values("department_id").annotate(n=Count("*"))
        .order_by("-n").values_list("department_id", flat=True)[:6]
    )  # fmt: skip
    types = [None] * 3 + list(
        Case.objects.filter(source="bench", created_at__gte=timezone.now() - dt.timedelta(days=30))
        .values("service_type_id").annotate(n=Count("*")).order_by("-n")
        .values_list("service_type_id", flat=True)[:10]
    )  # fmt: skip
    areas = [None] * 3 + list(Neighbourhood.objects.values_list("pk", flat=True)[:20])
    out = []
    for _ in range(n):
        days = rng.choice([30, 90, 365, 365, 730])
        out.append(
            Filters(
                start=today - dt.timedelta(days=days),
                end=today,
                department=rng.choice(departments),
                service_type=rng.choice(types) if rng.random() < 0.4 else None,
                neighbourhood=rng.choice(areas) if rng.random() < 0.3 else None,
            )
        )
    return out


def _p99(samples: list[float]) -> float:
    if len(samples) < 2:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[98]


def _time_panels(variants: list[Any]) -> dict[str, float]:
    from cityhall.insights.queries import PANELS, Scope

    everyone = Scope(None)
    results = {}
    for name, build in PANELS.items():
        samples = []
        for filters in variants:
            started = time.perf_counter()
            build(everyone, filters)
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = _p99(samples)
    return results


def _time_maps(variants: list[Any], admin: Any) -> dict[str, float]:
    from cityhall.insights.queries import equity, hotspots

    results = {}
    for name, call in (
        ("hotspots", lambda f: hotspots(admin, f, "overdue")),
        ("hotspots_opened", lambda f: hotspots(admin, f, "opened")),
        ("equity", lambda f: equity(admin, f)),
    ):
        samples = []
        for filters in variants:
            started = time.perf_counter()
            call(filters)
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = _p99(samples)
    return results


def _time_raw(variants: list[Any]) -> dict[str, float]:
    from bench.insights_raw import RAW_PANELS

    results = {}
    for name, build in RAW_PANELS.items():
        samples = []
        for filters in variants:
            started = time.perf_counter()
            build(filters)
            samples.append((time.perf_counter() - started) * 1000)
        results[name] = _p99(samples)
    return results


def _add_new_cases(n: int) -> None:
    """n new cases as the intake writes them: received now, routed, with a deadline."""
    _sql(
        f"""INSERT INTO cases_case ({COPY_COLUMNS})
        SELECT NULL, service_type_id, department_id, 'received', channel, description, '', lat,
            lng, neighbourhood_id, '', '', '', '{{}}', 0, NULL, '', '', 'bench-new',
            now() + interval '3 days', now() - make_interval(secs => id %% 3600), now(), NULL,
            NULL
        FROM cases_case WHERE source = 'bench' ORDER BY id DESC LIMIT %(n)s""",
        {"n": n},
    )


def _page(paths: list[str], admin: Any) -> dict[str, float]:
    from bench.console_queue import _session_cookie
    from bench.gunicorn import serve
    from bench.httpload import load

    cookie = _session_cookie(admin)
    with serve() as port:
        load(port, paths[:3], seconds=3, concurrency=1, headers={"Cookie": cookie})
        # One request per worker (two workers): the page's own latency, not queueing.
        page = load(port, paths, seconds=45, concurrency=2, headers={"Cookie": cookie})
        map_page = load(
            port,
            ["/staff/insights/map/", "/staff/insights/equity/"],
            seconds=30,
            concurrency=2,
            headers={"Cookie": cookie},
        )
    return {
        "insights_page_ms": page["p99_ms"],
        "insights_page_p50_ms": page["p50_ms"],
        "insights_page_errors": float(page["errors"]),
        "insights_map_and_equity_page_p99_ms": map_page["p99_ms"],
        "insights_map_page_errors": float(map_page["errors"]),
    }


def measure() -> dict[str, float]:
    from cityhall.accounts.models import User
    from cityhall.demo.loader import STAFF_DOMAIN
    from cityhall.insights import actions
    from cityhall.insights.models import BacklogRollup, DailyRollup, HexBacklog, HexRollup

    call_command("migrate", verbosity=0)
    from cityhall.cases.models import Case

    # BENCH_INSIGHTS_REUSE=1 with BENCH_DATABASE_URL set to a database an earlier run loaded
    # (run as `python -c "from bench.bench_insights import measure; print(measure())"`) skips
    # the load, to measure again on a quieter machine; drop that database afterwards.
    if os.environ.get("BENCH_INSIGHTS_REUSE") and Case.objects.count() >= TARGET:
        results = {"insights_cases": float(Case.objects.count())}
    else:
        results = _load(TARGET)
    if not (os.environ.get("BENCH_INSIGHTS_REUSE") and os.environ.get("BENCH_INSIGHTS_NO_BUILD")):
        _log("building rollups")
        results["insights_build_s"] = actions.rebuild_rollups().seconds
    _sql("VACUUM (ANALYZE)")
    for model in (DailyRollup, BacklogRollup, HexRollup, HexBacklog):
        results[f"insights_rows_{model._meta.model_name}"] = float(model.objects.count())
    _log("refresh after 10,000 new cases")
    _add_new_cases(10_000)
    report = actions.refresh_rollups()
    results["insights_refresh_10k_s"] = report.seconds
    results["insights_refresh_10k_cases_seen"] = float(report.cases)
    report = actions.refresh_rollups()
    results["insights_refresh_nothing_new_s"] = report.seconds
    _log(f"so far: {results}")

    admin = User.objects.get(email=f"admin@{STAFF_DOMAIN}")
    # The machine is shared: the load average says how busy it was while the clock ran.
    results["insights_loadavg_1m_at_panels"] = os.getloadavg()[0]
    variants = _variants(PANEL_RUNS, seed=8)
    _log("panels")
    _time_panels(variants[:5])  # warm
    panels = _time_panels(variants)
    results.update({f"insights_panel_{k}_p99_ms": v for k, v in panels.items()})
    results["insights_panel_p99_ms"] = max(panels.values())
    _log(f"panels: {panels}")
    maps = _time_maps(variants[: max(10, PANEL_RUNS // 3)], admin)
    results.update({f"insights_{k}_p99_ms": v for k, v in maps.items()})
    _log("raw baseline")
    raw = _time_raw(variants[:RAW_RUNS])
    results.update({f"insights_raw_panel_{k}_p99_ms": v for k, v in raw.items()})
    results["insights_raw_panel_p99_ms"] = max(raw.values())
    _log(f"raw: {raw}")
    _log("page over HTTP")
    paths = (
        ["/staff/insights/"]
        + [
            "/staff/insights/?"
            + urllib.parse.urlencode(
                {
                    k: v
                    for k, v in {
                        "start": f.start.isoformat(),
                        "end": f.end.isoformat(),
                        "department": f.department or "",
                        "service_type": f.service_type or "",
                        "neighbourhood": f.neighbourhood or "",
                    }.items()
                }  # fmt: skip
            )
            for f in variants[:20]
        ]
    )
    results.update(_page(paths, admin))
    _log(f"done: {results}")
    return results
