"""Notifications at a city's scale, on PostgreSQL: a campaign to 1,000,000 generated residents
(audience selection and enqueue), delivery to the local fake providers (the Twilio-format SMS
fake and an SMTP server) with two worker processes, a case update's latency while that
campaign drains, and a crash test that kills workers with SIGKILL during a 100,000-message
campaign and then counts, from the fake provider's own log, messages lost and sent twice.

Baselines in the same run: enqueueing through Python (rows built and bulk-inserted by the
ORM, 100k, scaled to 1M), one worker instead of two, and a case update's latency with no
campaign draining.

Residents are generated in SQL: 30% Spanish speakers, 95% with email on, SMS for every tenth
(the "veterans" of the crash test) and every seventh, quiet hours 22:00-07:00 for one in
thirteen, a daily digest for one in eleven, each with a saved address spread over 40
neighbourhoods of 100 addresses.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from django.core.management import call_command
from django.db import connection, transaction

from bench.gunicorn import SERVER_SECRET_KEY, free_port
from bench.pgchild import measure_in_fresh_postgres, postgres_available

RESIDENTS = int(os.environ.get("BENCH_NOTIFY_RESIDENTS", "1000000"))
ROOT = Path(__file__).resolve().parents[1]
FAKE_TOKEN = "bench-twilio-token"


def run() -> dict[str, float]:
    if connection.vendor == "postgresql":
        return measure()
    problem = postgres_available()
    if problem:
        print(f"notify benchmark skipped (it needs PostgreSQL): {problem}")
        return {}
    return measure_in_fresh_postgres("bench.bench_notify")


# Data ---------------------------------------------------------------------------------------


def _make_places() -> list[int]:
    from cityhall.places.models import Address, Neighbourhood

    neighbourhoods = []
    for i in range(40):
        lat, lng = 39.28 + (i // 8) * 0.01, -76.65 + (i % 8) * 0.01
        square = [[lng, lat], [lng + 0.01, lat], [lng + 0.01, lat + 0.01], [lng, lat + 0.01],
                  [lng, lat]]  # fmt: skip
        neighbourhoods.append(
            Neighbourhood(
                slug=f"n{i}",
                name=f"Neighbourhood {i}",
                boundary={"type": "Polygon", "coordinates": [square]},
                centroid_lat=lat + 0.005,
                centroid_lng=lng + 0.005,
            )  # fmt: skip
        )
    Neighbourhood.objects.bulk_create(neighbourhoods)
    rng = random.Random(7)
    addresses = []
    for n in Neighbourhood.objects.order_by("id"):
        for j in range(100):
            addresses.append(
                Address(
                    line=f"{j + 1} {n.name} St",
                    normalised=f"{j + 1} {n.slug} st",
                    postcode="21201",
                    lat=n.centroid_lat + rng.uniform(-0.004, 0.004),
                    lng=n.centroid_lng + rng.uniform(-0.004, 0.004),
                    neighbourhood=n,
                )
            )
    Address.objects.bulk_create(addresses, batch_size=1000)
    return list(Neighbourhood.objects.values_list("id", flat=True))


def _generate_residents(count: int) -> None:
    from cityhall.places.models import Address

    address_ids = list(Address.objects.order_by("id").values_list("id", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO accounts_user (password, is_superuser, first_name, last_name, is_staff,"
            " is_active, date_joined, email, phone) SELECT '!', false, '', '', false, true, now(),"
            " 'r' || g || '@bench.example', '' FROM generate_series(1, %s) g",
            [count],
        )
        cursor.execute(
            """
            INSERT INTO accounts_profile (name, is_primary, personas, language, interests,
              notify_email, notify_sms, notify_in_app, sms_phone, quiet_hours_start,
              quiet_hours_end, digest, created_at, updated_at, account_id)
            SELECT 'Resident ' || u.id, true,
              CASE WHEN u.id %% 10 = 0 THEN '["veteran"]' ELSE '["resident"]' END::jsonb,
              CASE WHEN u.id %% 10 < 3 THEN 'es' ELSE 'en' END,
              (ARRAY['["environment"]', '["streets", "parks"]', '["trash"]', '[]'])
                [1 + u.id %% 4]::jsonb,
              u.id %% 20 <> 0,
              u.id %% 10 = 0 OR u.id %% 7 = 0,
              true,
              CASE WHEN u.id %% 10 = 0 OR u.id %% 7 = 0
                   THEN '+1' || (2000000000 + u.id)::text ELSE '' END,
              CASE WHEN u.id %% 13 = 0 THEN time '22:00' END,
              CASE WHEN u.id %% 13 = 0 THEN time '07:00' END,
              CASE WHEN u.id %% 11 = 0 THEN 'daily' ELSE 'immediate' END,
              now(), now(), u.id
            FROM accounts_user u WHERE u.email LIKE '%%@bench.example'
            """,
            [],
        )
        cursor.execute(
            "INSERT INTO accounts_savedaddress (label, unit, created_at, profile_id, address_id)"
            " SELECT '', '', now(), p.id, (%s::bigint[])[1 + p.id %% %s] FROM accounts_profile p"
            " JOIN accounts_user u ON u.id = p.account_id WHERE u.email LIKE '%%@bench.example'",
            [address_ids, len(address_ids)],
        )
        cursor.execute("ANALYZE")


# Processes ----------------------------------------------------------------------------------


class Services:
    """The fake SMS provider, the SMTP sink and delivery workers, as separate processes."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.sms_port, self.smtp_port = free_port(), free_port()
        self.sms_log, self.smtp_log = folder / "sms.jsonl", folder / "smtp.log"
        self.others: list[subprocess.Popen[bytes]] = []
        self.workers: list[subprocess.Popen[bytes]] = []

    def env(self, **extra: str) -> dict[str, str]:
        return {
            **os.environ, "DJANGO_SETTINGS_MODULE": "bench.settings", "DEBUG": "0",
            "SECRET_KEY": SERVER_SECRET_KEY, "ALLOWED_HOSTS": "127.0.0.1",
            "TWILIO_API_BASE_URL": f"http://127.0.0.1:{self.sms_port}",
            "TWILIO_ACCOUNT_SID": "ACbench00000000000000000000000000",
            "TWILIO_AUTH_TOKEN": FAKE_TOKEN,
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(self.smtp_port), **extra,
        }  # fmt: skip

    def start_providers(self) -> None:
        cityhall = [sys.executable, "-m", "cityhall.cli"]
        self.others.append(subprocess.Popen(
            [*cityhall, "fake_twilio", "--port", str(self.sms_port), "--log", str(self.sms_log),
             "--account-sid", "ACbench00000000000000000000000000", "--auth-token", FAKE_TOKEN],
            env=self.env(), cwd=ROOT, stdout=subprocess.DEVNULL,
        ))  # fmt: skip
        self.others.append(subprocess.Popen(
            [sys.executable, "-m", "bench.smtp_sink", str(self.smtp_port), str(self.smtp_log)],
            env=self.env(), cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        ))  # fmt: skip
        time.sleep(1.5)

    def start_worker(self, **extra: str) -> subprocess.Popen[bytes]:
        worker = subprocess.Popen(
            [sys.executable, "-m", "cityhall.cli", "notifications_worker", "--poll", "0.05"],
            env=self.env(**extra), cwd=ROOT, stdout=subprocess.DEVNULL,
        )  # fmt: skip
        self.workers.append(worker)
        return worker

    def stop_workers(self) -> None:
        for worker in self.workers:
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
        for worker in self.workers:
            try:
                worker.wait(timeout=30)
            except subprocess.TimeoutExpired:
                worker.kill()
        self.workers = []

    def stop(self) -> None:
        self.stop_workers()
        for process in self.others:
            process.terminate()
            process.wait(timeout=10)


def _delivered_total(kind: str) -> int:
    from django.db.models import Sum

    from cityhall.notifications.models import DailyCount

    total = DailyCount.objects.filter(kind=kind, outcome__in=["sent", "delivered", "failed",
                                      "suppressed"]).aggregate(n=Sum("count"))["n"]  # fmt: skip
    return int(total or 0)


def _rate(kind: str, seconds: float) -> float:
    time.sleep(3)  # warm-up: imports, connections
    start, began = _delivered_total(kind), time.perf_counter()
    time.sleep(seconds)
    return (_delivered_total(kind) - start) / (time.perf_counter() - began)


def _transactional_latencies(user_id: int, count: int, every: float) -> list[float]:
    """Write case-update-like messages (the transactional lane) and time commit → provider."""
    from cityhall.notifications import actions
    from cityhall.notifications.models import Kind, Message

    tag = f"lat-{time.time_ns()}"
    for i in range(count):
        with transaction.atomic():
            actions.queue_messages(
                user_ids=[user_id], kind=Kind.CASE_UPDATE, dedupe=f"{tag}-{i}",
                values=lambda language: {"case_number": "2026-1", "service": "Pothole",
                                         "status": "In progress", "note": "", "case_url": ""},
            )  # fmt: skip
        time.sleep(every)
    deadline = time.monotonic() + 60
    mine = Message.objects.filter(dedupe_key__startswith=tag, channel__in=["email", "sms"])
    while time.monotonic() < deadline and mine.filter(sent_at__isnull=True).exists():
        time.sleep(0.2)
    return sorted((m.sent_at - m.created_at).total_seconds() if m.sent_at else 60.0
                  for m in mine)  # fmt: skip


def _p99(values: list[float]) -> float:
    return values[min(len(values) - 1, int(len(values) * 0.99))] if values else float("nan")


# The measurement -------------------------------------------------------------------------------


def measure() -> dict[str, float]:
    import tempfile

    from cityhall.accounts.models import Profile
    from cityhall.notifications import actions
    from cityhall.notifications.models import Campaign, CampaignStatus, Kind, Message
    from cityhall.org.models import Role, StaffMembership
    from cityhall.testing import make_resident

    call_command("migrate", verbosity=0)
    results: dict[str, float] = {}
    neighbourhoods = _make_places()
    started = time.perf_counter()
    _generate_residents(RESIDENTS)
    results["notify_setup_generate_residents_s"] = time.perf_counter() - started

    def staff(role: Any) -> Any:
        user = make_resident()
        StaffMembership.objects.create(user=user, role=role)
        return user

    writer, approver, admin = staff(Role.CITY_ADMIN), staff(Role.CITY_ADMIN), staff(Role.CITY_ADMIN)
    watcher = make_resident("watcher@bench.example")
    Profile.objects.filter(account=watcher).update(notify_sms=True, sms_phone="+13015550100")
    words = {
        "subject_en": "Water main work on your street", "subject_es": "Obras de agua en su calle",
        "body_en": "Hello {{ name }}, water will be off on Tuesday from 9 to 3. {{ link }}",
        "body_es": "Hola {{ name }}, no habrá agua el martes de 9 a 3. {{ link }}",
        "sms_en": "City Hall: water off Tuesday 9-3 on your street.",
        "sms_es": "Alcaldía: sin agua el martes de 9 a 3 en su calle.",
    }  # fmt: skip
    folder = Path(tempfile.mkdtemp(prefix="cityhall-notify-"))
    services = Services(folder)
    services.start_providers()
    try:
        # Baseline: a case update's latency with nothing else going on.
        for _ in range(2):
            services.start_worker()
        time.sleep(4)  # started and polling
        idle = _transactional_latencies(watcher.pk, 40, 0.1)
        results["notify_baseline_transactional_idle_p99_s"] = _p99(idle)
        services.stop_workers()

        # Baseline: the same rows built in Python and bulk-inserted (100k, scaled to 1M).
        started = time.perf_counter()
        rows = []
        profiles = Profile.objects.filter(is_primary=True, notify_email=True).values_list(
            "account_id", "account__email", "language", "name")[:100_000]  # fmt: skip
        for account_id, email, language, name in profiles.iterator(chunk_size=10_000):
            rows.append(Message(lane=2, channel="email", kind=Kind.NEWS, status="cancelled",
                                user_id=account_id, to=email, language=language,
                                recipient_name=name, topic="bench-baseline"))  # fmt: skip
        Message.objects.bulk_create(rows, batch_size=5000)
        elapsed = time.perf_counter() - started
        results["notify_baseline_enqueue_python_1m_s"] = elapsed * (RESIDENTS / max(len(rows), 1))
        Message.objects.filter(topic="bench-baseline").delete()
        del rows

        # Audience selection and enqueue, a campaign to every resident.
        started = time.perf_counter()
        campaign = actions.save_campaign(actor=writer, data={
            "title": "Water works", "topic": "environment", "channels": ["email", "sms"],
            "neighbourhoods": neighbourhoods, **words})  # fmt: skip
        campaign = actions.submit_campaign(actor=writer, campaign=campaign)
        actions.approve_campaign(actor=approver, campaign=campaign)
        enqueued = actions.enqueue_campaign(campaign_id=campaign.pk)
        results["notify_enqueue_1m_s"] = time.perf_counter() - started
        results["notify_campaign_audience"] = float(campaign.audience_size or 0)
        results["notify_campaign_messages"] = float(enqueued)

        # Delivery: one worker (baseline), then two, with case updates going through.
        services.start_worker()
        results["notify_baseline_delivery_one_worker_per_s"] = _rate(Kind.NEWS, 12)
        services.start_worker()
        results["notify_delivery_per_s"] = _rate(Kind.NEWS, 15)
        busy = _transactional_latencies(watcher.pk, 60, 0.25)
        results["notify_transactional_p99_s"] = _p99(busy)
        results["notify_transactional_max_s"] = busy[-1] if busy else float("nan")
        services.stop_workers()
        actions.cancel_campaign(actor=writer, campaign=campaign)

        # Crash test: an emergency alert by SMS to the 100k "veterans"; workers are killed
        # with SIGKILL every few seconds and restarted, with short leases.
        alert_words = {
            **words,
            "sms_en": "City Hall EMERGENCY: boil water before drinking.",
            "sms_es": "Alcaldía EMERGENCIA: hierva el agua antes de beberla.",
        }
        alert = actions.save_campaign(actor=admin, data={
            "title": "Boil water", "is_emergency": True, "topic": "", "channels": ["sms"],
            "personas": ["veteran"], **alert_words})  # fmt: skip
        alert = actions.submit_campaign(actor=admin, campaign=alert)
        actions.approve_campaign(actor=writer, campaign=alert)
        expected = actions.enqueue_campaign(campaign_id=alert.pk)
        phones = set(Message.objects.filter(campaign=alert).values_list("to", flat=True))
        log_lines_before = len(services.sms_log.read_text().splitlines())
        lease = {"NOTIFY_LEASE_SECONDS": "4"}
        for _ in range(2):
            services.start_worker(**lease)
        rng = random.Random(3)
        kills, began = 0, time.monotonic()
        pending = Message.objects.filter(campaign=alert, status__in=["queued", "sending"])
        while pending.exists() and time.monotonic() - began < 600:
            time.sleep(rng.uniform(1.0, 3.0))
            victim = rng.randrange(len(services.workers))
            services.workers[victim].kill()
            services.workers[victim].wait()
            kills += 1
            services.workers[victim] = services.start_worker(**lease)
        # Let the survivors settle the last leases.
        while pending.exists() and time.monotonic() - began < 700:
            time.sleep(1)
        services.stop_workers()
        sent: dict[str, int] = {}
        texts = {alert_words["sms_en"], alert_words["sms_es"]}
        for line in services.sms_log.read_text().splitlines()[log_lines_before:]:
            record = json.loads(line)
            to = record["to"]
            if to in phones and record["body"] in texts:
                sent[to] = sent.get(to, 0) + 1
        results["notify_crash_campaign_messages"] = float(expected)
        results["notify_crash_kills"] = float(kills)
        results["notify_crash_seconds"] = time.monotonic() - began
        results["notify_crash_lost"] = float(len(phones - set(sent)))
        results["notify_crash_duplicates"] = float(sum(n - 1 for n in sent.values()))
        results["notify_crash_campaign_status_sent"] = float(
            Campaign.objects.get(pk=alert.pk).status == CampaignStatus.SENT
        )
    finally:
        services.stop()
    return results
