"""Single sign-on at a city's scale, on PostgreSQL with Redis for the shared cache:

- token endpoint: authorization codes (minted through the real authorize endpoint, consent
  already given) exchanged over HTTP through gunicorn (2 workers, 4 clients) with the client
  secret and PKCE verifier, as a department app does; baseline in the same run: the same
  exchange with the client secret hashed with the project's password hasher (Argon2), as
  allauth stores it by default;
- webhook fan-out: 10,000 residents report an address change to 10 connected services each
  (100,000 signed webhooks), one of which fails half its requests; two `webhooks_worker`
  processes deliver until every one is acknowledged. Reported: the time from the workers'
  start to the last acknowledgement, with the time to record the changes beside it, and the
  receiving side's count of events (each exactly once is the goal; duplicates are allowed by
  the protocol and counted).
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection

from bench.gunicorn import SERVER_SECRET_KEY, free_port, serve
from bench.httpload import load
from bench.pgchild import measure_in_fresh_postgres, postgres_available

ROOT = Path(__file__).resolve().parents[1]
REDIS_URL = os.environ.get("BENCH_SSO_REDIS_URL", "redis://127.0.0.1:6379/14")
CHANGES = int(os.environ.get("BENCH_SSO_CHANGES", "10000"))
SERVICES = 10
CODES = int(os.environ.get("BENCH_SSO_CODES", "2500"))


def run() -> dict[str, float]:
    if connection.vendor == "postgresql" and os.environ.get("BENCH_REDIS_URL"):
        return measure()
    problem = postgres_available()
    try:
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    except Exception as error:  # noqa: BLE001 - any failure means "no server to use"
        problem = problem or str(error)
    if problem:
        print(f"sso benchmark skipped (it needs PostgreSQL and Redis): {problem}")
        return {}
    return measure_in_fresh_postgres("bench.bench_sso", extra_env={
        "BENCH_REDIS_URL": REDIS_URL, "BENCH_CODE_LIFETIME": "600",
        "OIDC_KEYS_DIR": tempfile.mkdtemp(prefix="cityhall-bench-keys-")})  # fmt: skip


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode()).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode()


def _mint_codes(client_id: str, redirect: str, user: Any, count: int) -> list[tuple[str, str]]:
    """Codes from the real authorize endpoint, for a signed-in resident who agreed before."""
    from django.test import Client as Browser

    browser = Browser(HTTP_HOST="127.0.0.1")
    browser.force_login(user)
    codes = []
    for _ in range(count):
        verifier, challenge = _pkce()
        query = urllib.parse.urlencode(
            {
                "response_type": "code",
                "client_id": client_id,
                "redirect_uri": redirect,
                "scope": "openid email",
                "code_challenge": challenge,
                "code_challenge_method": "S256",
                "state": secrets.token_hex(4),
            }
        )
        answer = browser.get(f"/identity/o/authorize?{query}")
        location = answer.headers.get("Location", "")
        code = urllib.parse.parse_qs(urllib.parse.urlparse(location).query).get("code")
        if code:
            codes.append((code[0], verifier))
    return codes


def _exchanges(codes: list[tuple[str, str]], redirect: str) -> list[tuple[str, bytes]]:
    return [
        (
            "/identity/o/api/token",
            urllib.parse.urlencode(
                {
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect,
                    "code_verifier": verifier,
                }
            ).encode(),
        )
        for code, verifier in codes
    ]


def _basic(client_id: str, secret: str) -> dict[str, str]:
    token = base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    return {"Authorization": f"Basic {token}"}


def _token_endpoint(results: dict[str, float]) -> None:
    from allauth.idp.oidc.models import Client
    from django.contrib.auth.hashers import make_password

    from cityhall.sso.actions import create_client
    from cityhall.sso.models import ConsentGrant
    from cityhall.testing import make_resident

    redirect = "https://parking.example/callback"
    resident = make_resident("bench-sso@example.org")
    fast, fast_secret = create_client(
        actor=None, name="Parking", redirect_uris=[redirect], post_logout_redirect_uris=[]
    )
    slow, slow_secret = create_client(
        actor=None,
        name="Parking (Argon2 secret)",
        redirect_uris=[redirect],
        post_logout_redirect_uris=[],
    )
    Client.objects.filter(pk=slow.pk).update(secret=make_password(slow_secret))
    for client in (fast, slow):
        ConsentGrant.objects.create(user=resident, client=client, scopes=["openid", "email"])
    started = time.perf_counter()
    fast_codes = _mint_codes(fast.pk, redirect, resident, CODES)
    slow_codes = _mint_codes(slow.pk, redirect, resident, 300)
    results["sso_setup_mint_codes_s"] = time.perf_counter() - started
    with serve() as port:
        load(port, ["/healthz"], seconds=1)
        exchange = load(
            port, _exchanges(fast_codes, redirect), seconds=5, headers=_basic(fast.pk, fast_secret)
        )
        baseline = load(
            port, _exchanges(slow_codes, redirect), seconds=4, headers=_basic(slow.pk, slow_secret)
        )
    results["sso_token_per_s"] = exchange["qps"]
    results["sso_token_p99_ms"] = exchange["p99_ms"]
    results["sso_token_errors"] = float(exchange["errors"])
    results["sso_token_codes_minted"] = float(len(fast_codes))
    results["sso_baseline_token_argon2_secret_per_s"] = baseline["qps"]


def _fanout(results: dict[str, float]) -> None:
    from allauth.idp.oidc.models import Client
    from django.contrib.auth import get_user_model

    from cityhall.accounts.models import Profile, SavedAddress
    from cityhall.places.models import Address, Neighbourhood
    from cityhall.sso import actions
    from cityhall.sso.models import ConnectedService, ConsentGrant, WebhookDelivery

    folder = Path(tempfile.mkdtemp(prefix="cityhall-bench-hooks-"))
    port = free_port()
    services = []
    for n in range(SERVICES):
        client = Client.objects.create(name=f"Department {n}")
        services.append(
            ConnectedService.objects.create(
                name=f"Department {n}",
                client=client,
                webhook_url=f"http://127.0.0.1:{port}/{n}",
                allowed_fields=["address"],
            )
        )
    (folder / "secrets.json").write_text(
        json.dumps({str(i): s.webhook_secret for i, s in enumerate(services)})
    )
    place = Neighbourhood.objects.create(
        slug="bench", name="Bench", boundary={}, centroid_lat=39.3, centroid_lng=-76.6
    )
    home = Address.objects.create(
        line="1 Light St",
        normalised="1 light st",
        postcode="21202",
        lat=39.29,
        lng=-76.61,
        neighbourhood=place,
    )
    users = get_user_model().objects.bulk_create(
        [get_user_model()(email=f"mover{i}@bench.example", password="!") for i in range(CHANGES)],
        batch_size=2000,
    )
    profiles = Profile.objects.bulk_create(
        [Profile(account=u, name=f"Mover {i}", is_primary=True) for i, u in enumerate(users)],
        batch_size=2000,
    )
    SavedAddress.objects.bulk_create(
        [SavedAddress(profile=p, address=home) for p in profiles], batch_size=2000
    )
    ConsentGrant.objects.bulk_create(
        [
            ConsentGrant(user=u, client_id=s.client_id, scopes=["openid"])
            for u in users
            for s in services
        ],
        batch_size=5000,
    )
    ids = [s.pk for s in services]
    started = time.perf_counter()
    for user in users:
        actions.tell_services(
            actor=user,
            kind="address",
            service_ids=ids,
            data={"address": {"street_address": "1 Light St"}},
        )
    results["sso_setup_tell_10k_changes_s"] = time.perf_counter() - started
    expected = WebhookDelivery.objects.count()
    log = folder / "received.log"
    sink = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bench.webhook_sink",
            str(port),
            str(folder / "secrets.json"),
            "0",
            str(log),
        ],
        cwd=ROOT,
    )
    time.sleep(1)
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": SERVER_SECRET_KEY,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    workers = []
    started = time.perf_counter()
    try:
        for _ in range(2):
            workers.append(
                subprocess.Popen(
                    [sys.executable, "-m", "cityhall.cli", "webhooks_worker", "--poll", "0.05"],
                    env=env,
                    cwd=ROOT,
                )
            )
        pending = WebhookDelivery.objects.exclude(status="delivered")
        while pending.exists() and time.perf_counter() - started < 300:
            time.sleep(0.25)
        results["sso_webhook_fanout_s"] = time.perf_counter() - started
    finally:
        for worker in workers:
            worker.terminate()
            worker.wait(timeout=30)
        sink.terminate()
        sink.wait(timeout=10)
    received = log.read_text().split()
    results["sso_webhook_deliveries"] = float(expected)
    results["sso_webhook_acknowledged"] = float(len(set(received)))
    results["sso_webhook_duplicates_received"] = float(len(received) - len(set(received)))
    results["sso_webhook_undelivered"] = float(
        WebhookDelivery.objects.exclude(status="delivered").count()
    )
    flaky = WebhookDelivery.objects.filter(service=services[0])
    results["sso_webhook_flaky_service_attempts_per_delivery"] = sum(
        flaky.values_list("attempts", flat=True)
    ) / max(flaky.count(), 1)


def measure() -> dict[str, float]:
    call_command("migrate", verbosity=0)
    results: dict[str, float] = {}
    _token_endpoint(results)
    _fanout(results)
    return results
