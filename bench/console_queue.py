"""The staff queue over a big backlog: HTTP p99 through gunicorn for a signed-in caseworker,
and queries per page (must not grow with the page or the backlog). Baselines in the same run:
the health check over the same server, and the textbook Django paginator (COUNT + OFFSET)
over the same filtered cases, in process. Called by bench_cases after the Boston import."""

from __future__ import annotations

import random
import statistics
import time
import urllib.parse
from typing import Any

from django.db import connection
from django.test.utils import CaptureQueriesContext

from bench.gunicorn import SERVER_SECRET_KEY, serve
from bench.httpload import load
from cityhall.demo.loader import STAFF_DOMAIN


def _session_cookie(user: Any) -> str:
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django.test import override_settings

    # Signed with the key the gunicorn workers run with, as a real sign-in there would be.
    with override_settings(SECRET_KEY=SERVER_SECRET_KEY):
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.save()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def _paths(department_id: int) -> list[str]:
    from cityhall.cases.models import Case

    rng = random.Random(9)
    types = list(
        Case.objects.filter(department_id=department_id)
        .values_list("service_type_id", flat=True)
        .distinct()[:30]
    )
    paths = ["/staff/cases/", "/staff/cases/?overdue=on", "/staff/cases/?status=all"]
    for _ in range(60):
        query = {"service_type": rng.choice(types), "status": rng.choice(["open", "all", "closed"])}
        if rng.random() < 0.3:
            query["page"] = rng.randint(2, 20)
        paths.append("/staff/cases/?" + urllib.parse.urlencode(query))
    paths += [f"/staff/cases/?page={n}" for n in (2, 10, 40)]
    return paths


def _paginator_baseline(user: Any, department_id: int, rounds: int = 30) -> float:
    """What a first version would do: Paginator with COUNT(*) and OFFSET, same filter."""
    from django.core.paginator import Paginator

    from cityhall.cases.models import OPEN_STATUSES, Case

    samples = []
    for n in range(rounds):
        started = time.perf_counter()
        cases = (
            Case.objects.filter(department_id=department_id, status__in=OPEN_STATUSES)
            .select_related("service_type", "neighbourhood", "assignee", "team")
            .order_by("due_at", "created_at", "id")
        )
        page = Paginator(cases, 50).page(1 + n % 10)
        list(page.object_list)
        samples.append((time.perf_counter() - started) * 1000)
    return statistics.quantiles(samples, n=100)[98]


def run_queue(department_code: str = "customer-service") -> dict[str, float]:
    from django.test import Client

    from cityhall.accounts.models import User
    from cityhall.cases.models import Case
    from cityhall.org.models import Department

    department = Department.objects.get(code=department_code)
    user = User.objects.get(email=f"caseworker.{department_code}@{STAFF_DOMAIN}")
    backlog = Case.objects.filter(department=department).count()
    client = Client(HTTP_HOST="127.0.0.1")
    client.force_login(user)
    counts = []
    for path in ["/staff/cases/", "/staff/cases/?page=30", "/staff/cases/?status=all&page=5"]:
        client.get(path)  # warm per-process caches
        with CaptureQueriesContext(connection) as queries:
            assert client.get(path).status_code == 200
        counts.append(len(queries))
    cookie = _session_cookie(user)
    paths = _paths(department.pk)
    with serve() as port:
        load(port, paths, seconds=2, headers={"Cookie": cookie})
        floor = load(port, ["/healthz"], seconds=3)
        # Four clients on two workers, as the other HTTP benchmarks measure; and one request
        # per worker, which is the page's own latency without queueing behind the other.
        queue = load(port, paths, seconds=10, concurrency=4, headers={"Cookie": cookie})
        unqueued = load(port, paths, seconds=10, concurrency=2, headers={"Cookie": cookie})
    return {
        "cases_queue_backlog": float(backlog),
        "cases_queue_p99_ms": queue["p99_ms"],
        "cases_queue_p50_ms": queue["p50_ms"],
        "cases_queue_per_s": queue["qps"],
        "cases_queue_p99_ms_one_per_worker": unqueued["p99_ms"],
        "cases_queue_errors": float(queue["errors"]),
        "cases_queue_queries_per_page_min": float(min(counts)),
        "cases_queue_queries_per_page_max": float(max(counts)),
        "cases_baseline_queue_paginator_p99_ms": _paginator_baseline(user, department.pk),
        "cases_baseline_queue_healthz_p99_ms": floor["p99_ms"],
    }
