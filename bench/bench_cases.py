"""Service requests at Boston's scale: import and re-import of 320,770 real Open311 requests,
Open311 POST and filtered GET over HTTP through gunicorn. Baselines in the same run: reading
and parsing the dump without the database, and the health check endpoint."""

from __future__ import annotations

import gzip
import io
import json
import random
import time
import urllib.parse
from pathlib import Path

from django.core.management import call_command

from bench.gunicorn import serve
from bench.httpload import load

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
    with serve() as port:
        load(port, ["/healthz"], seconds=1)
        floor = load(port, ["/healthz"], seconds=4)
        post = load(port, posts, seconds=8)
        get = load(port, gets, seconds=8)
    results.update(
        {
            "cases_open311_post_per_s": post["qps"],
            "cases_open311_post_p99_ms": post["p99_ms"],
            "cases_open311_post_errors": float(post["errors"]),
            "cases_open311_get_p99_ms": get["p99_ms"],
            "cases_open311_get_per_s": get["qps"],
            "cases_baseline_healthz_http_p99_ms": floor["p99_ms"],
        }
    )
    return results
