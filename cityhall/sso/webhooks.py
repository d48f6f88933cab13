# ruff: noqa: S608 - SQL here is built from constant table and column names; values are parameters
"""Signed webhooks to connected services, delivered by `cityhall webhooks_worker`.

Each delivery is a JSON POST with `X-CityHall-Signature: t=<unix time>,v1=<hex HMAC-SHA256
of "<t>.<body>" with the service's secret>` and the event id in `X-CityHall-Event-Id` (also
`Idempotency-Key`): a service checks the signature and the time (replays older than five
minutes are refused) and ignores an event id it has seen. Anything but a 2xx answer is tried
again: quickly at first (a blip), then backing off to an hour, until acknowledged or
`SSO_WEBHOOK_MAX_ATTEMPTS`. Claiming works like the notifications outbox (decisions/0008):
batches with FOR UPDATE SKIP LOCKED, a lease, outcomes guarded by the lease."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import http.client
import json
import random
import secrets
import time
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from cityhall.core.outbox import update_leased
from cityhall.sso.models import WebhookDelivery

TABLE = WebhookDelivery._meta.db_table
SIGNATURE_HEADER = "X-CityHall-Signature"
TOLERANCE_SECONDS = 300
QUICK_RETRIES = 20


def sign(secret: str, body: bytes, timestamp: int | None = None) -> str:
    timestamp = int(time.time()) if timestamp is None else timestamp
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return f"t={timestamp},v1={mac.hexdigest()}"


def verify(secret: str, header: str, body: bytes, *, now: float | None = None) -> bool:
    """What a receiving service does: the signature matches and is recent."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    now = time.time() if now is None else now
    if abs(now - timestamp) > TOLERANCE_SECONDS:
        return False
    expected = sign(secret, body, timestamp).split("v1=", 1)[1]
    return hmac.compare_digest(expected, parts.get("v1", ""))


def backoff(attempt: int) -> float:
    """Seconds before the next try: a quarter second doubling to one second for the first
    twenty tries (most failures are blips), then doubling from a minute to an hour."""
    if attempt <= QUICK_RETRIES:
        return min(1.0, 0.25 * 2 ** (attempt - 1)) * random.uniform(0.8, 1.2)
    return min(3600.0, 60 * 2 ** (attempt - QUICK_RETRIES - 1))


@dataclass
class Claimed:
    id: int
    event_id: Any
    payload: Any
    attempts: int
    url: str
    secret: str


def _dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def claim(
    limit: int, token: str, now: dt.datetime, lease_seconds: int = 60, *, stale: bool = False
) -> list[Claimed]:
    """Due deliveries, or (with `stale`) ones whose worker died with the lease: the service
    may then get an event twice, which is what the event id is for. Two separate queries,
    so each uses its partial index."""
    skip = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    services = "sso_connectedservice"
    sql = (
        f"UPDATE {TABLE} SET status = 'sending', lease_token = %s, lease_until = %s, "
        f"attempts = attempts + 1 WHERE id IN (SELECT id FROM {TABLE} WHERE "
        + (
            "status = 'sending' AND lease_until < %s ORDER BY lease_until, id"
            if stale
            else "status = 'pending' AND due_at <= %s ORDER BY due_at, id"
        )
        + f" LIMIT {int(limit)}{skip}) "
        f"RETURNING id, event_id, payload, attempts, service_id"
    )
    until = now + dt.timedelta(seconds=lease_seconds)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [token, _dt(until), _dt(now)])
        rows = cursor.fetchall()
        if not rows:
            return []
        ids = sorted({r[4] for r in rows})
        cursor.execute(
            f"SELECT id, webhook_url, webhook_secret FROM {services} WHERE id IN "
            f"({', '.join(['%s'] * len(ids))})",
            ids,
        )
        targets = {pk: (url, secret) for pk, url, secret in cursor.fetchall()}
    claimed = []
    for pk, event_id, payload, attempts, service_id in rows:
        if isinstance(payload, str):
            payload = json.loads(payload)
        url, secret = targets[service_id]
        event = uuid.UUID(str(event_id))  # SQLite hands back 32 hex digits
        claimed.append(Claimed(pk, event, payload, attempts, url, secret))
    return claimed


class Sender:
    """One keep-alive connection per host."""

    def __init__(self, timeout: float) -> None:
        self.timeout = timeout
        self.connections: dict[tuple[str, str], http.client.HTTPConnection] = {}

    def post(self, url: str, body: bytes, headers: dict[str, str]) -> int:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        for attempt in (0, 1):
            conn = self.connections.get(key)
            if conn is None:
                factory = (
                    http.client.HTTPSConnection
                    if parts.scheme == "https"
                    else http.client.HTTPConnection
                )
                conn = self.connections[key] = factory(parts.netloc, timeout=self.timeout)
            try:
                conn.request("POST", path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                if response.will_close:
                    conn.close()
                    del self.connections[key]
                return response.status
            except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
                conn.close()
                self.connections.pop(key, None)
                if attempt:
                    raise
        raise ConnectionError("unreachable")

    def close(self) -> None:
        for conn in self.connections.values():
            conn.close()
        self.connections.clear()


def _update_many(sql_set: str, columns: list[str], rows: list[tuple[Any, ...]], token: str,
                 extra: list[Any]) -> None:  # fmt: skip
    update_leased(TABLE, sql_set, columns, rows, token, extra)


class WebhookWorker:
    def __init__(self) -> None:
        self.token = secrets.token_hex(8)
        self.sender = Sender(float(getattr(settings, "SSO_WEBHOOK_TIMEOUT", 5)))
        self.max_attempts = int(getattr(settings, "SSO_WEBHOOK_MAX_ATTEMPTS", 30))
        self.last_stale_check = 0.0
        self.last_retention_check = 0.0

    def forget_old_payloads(self, now: dt.datetime) -> int:
        """Settled deliveries keep who was told what kind of change and when, not the
        change itself, after NOTIFY_RETENTION_DAYS."""
        from cityhall.sso.models import ChangeNotice

        cutoff = now - dt.timedelta(days=int(getattr(settings, "NOTIFY_RETENTION_DAYS", 90)))
        old = WebhookDelivery.objects.filter(
            created_at__lt=cutoff, status__in=["delivered", "failed"]
        )
        emptied = old.exclude(payload={}).update(payload={})
        ChangeNotice.objects.filter(created_at__lt=cutoff).exclude(data={}).exclude(
            deliveries__status__in=["pending", "sending"]
        ).update(data={})
        return emptied

    def run_once(self, limit: int = 300) -> int:
        now = timezone.now()
        if time.monotonic() - self.last_retention_check > 3600:
            self.last_retention_check = time.monotonic()
            self.forget_old_payloads(now)
        batch: list[Claimed] = []
        if time.monotonic() - self.last_stale_check > 5:
            self.last_stale_check = time.monotonic()
            batch = claim(limit, self.token, now, stale=True)
        batch = batch or claim(limit, self.token, now)
        if not batch:
            return 0
        delivered: list[tuple[Any, ...]] = []
        retry: list[tuple[Any, ...]] = []
        failed: list[tuple[Any, ...]] = []
        for item in batch:
            body = json.dumps(
                {"id": str(item.event_id), **item.payload}, separators=(",", ":")
            ).encode()
            headers = {
                "Content-Type": "application/json",
                SIGNATURE_HEADER: sign(item.secret, body),
                "X-CityHall-Event-Id": str(item.event_id),
                "Idempotency-Key": str(item.event_id),
            }
            try:
                status = self.sender.post(item.url, body, headers)
                problem = "" if 200 <= status < 300 else f"HTTP {status}"
            except (OSError, http.client.HTTPException) as error:
                status, problem = 0, f"connection problem ({type(error).__name__})"
            if not problem:
                delivered.append((item.id, status))
            elif item.attempts >= self.max_attempts:
                failed.append((item.id, status, problem))
            else:
                due = timezone.now() + dt.timedelta(seconds=backoff(item.attempts))
                retry.append((item.id, status, problem, _dt(due)))
        now = _dt(timezone.now())
        with transaction.atomic():
            _update_many(
                "status = 'delivered', last_status_code = v.code, last_error = '', "
                "delivered_at = %s", ["id", "code"], delivered, self.token, [now],
            )  # fmt: skip
            _update_many(
                "status = 'pending', last_status_code = NULLIF(v.code, 0), last_error = v.error, "
                "due_at = v.due", ["id", "code", "error", "due"], retry, self.token, [],
            )  # fmt: skip
            _update_many(
                "status = 'failed', last_status_code = NULLIF(v.code, 0), last_error = v.error",
                ["id", "code", "error"], failed, self.token, [],
            )  # fmt: skip
        return len(batch)

    def close(self) -> None:
        self.sender.close()
