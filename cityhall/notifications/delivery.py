# ruff: noqa: S608 - SQL here is built from constant table and column names; values are parameters
"""The delivery worker: claims due messages lane by lane, hands them to the providers and
records what happened.

Why not one django-tasks task per message: a campaign is a million messages, and a task
row per message costs several queries each. Messages are their own outbox, claimed in
batches with `FOR UPDATE SKIP LOCKED` (any number of workers share the lanes), and the
lease on a claimed batch makes a crash safe: a message whose worker died is looked up at
the provider before it is sent again (docs/decisions/0008)."""

from __future__ import annotations

import datetime as dt
import logging
import random
import secrets
import time
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone

from cityhall.core.outbox import update_leased
from cityhall.core.phones import normalise_phone
from cityhall.notifications import actions, templating
from cityhall.notifications.models import (
    Campaign,
    CampaignCount,
    Channel,
    DailyCount,
    Kind,
    Lane,
    Message,
    Status,
)
from cityhall.notifications.providers.base import Outgoing, Provider, ProviderError

logger = logging.getLogger(__name__)

TABLE = Message._meta.db_table
CLAIM_COLUMNS = (
    "id", "lane", "channel", "kind", "user_id", "to", "language", "recipient_name", "subject",
    "body", "link", "topic", "campaign_id", "attempts", "created_at",
)  # fmt: skip
# Smaller bulk batches keep a case update from waiting behind a long one.
BATCH_SIZES = {Lane.EMERGENCY: 200, Lane.TRANSACTIONAL: 100, Lane.BULK: 200}


def lease_seconds() -> int:
    return int(getattr(settings, "NOTIFY_LEASE_SECONDS", 30))


def max_attempts() -> int:
    return int(getattr(settings, "NOTIFY_MAX_ATTEMPTS", 6))


def backoff(attempt: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min, … (capped at an hour), with jitter so a provider coming
    back is not hit by every retry at once."""
    seconds = min(3600, 30 * 2 ** max(0, attempt - 1))
    return dt.timedelta(seconds=seconds * random.uniform(0.8, 1.2))


@dataclass
class Claimed:
    id: int
    lane: int
    channel: str
    kind: str
    user_id: int | None
    to: str
    language: str
    recipient_name: str
    subject: str
    body: str
    link: str
    topic: str
    campaign_id: int | None
    attempts: int
    created_at: Any


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _dt(value: dt.datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


def _claim_sql(where: str, limit: int) -> str:
    skip_locked = (
        " FOR UPDATE SKIP LOCKED" if connection.features.has_select_for_update_skip_locked else ""
    )
    columns = ", ".join(_q(c) for c in CLAIM_COLUMNS)
    return (
        f"UPDATE {TABLE} SET status = %s, lease_token = %s, lease_until = %s{{extra}} "
        f"WHERE id IN (SELECT id FROM {TABLE} WHERE {where} ORDER BY {{order}} "
        f"LIMIT {int(limit)}{skip_locked}) RETURNING {columns}"
    )


def _rows(cursor: Any) -> list[Claimed]:
    claimed = []
    for row in cursor.fetchall():
        item = Claimed(*row)
        if isinstance(item.created_at, str):
            item.created_at = dt.datetime.fromisoformat(item.created_at).replace(tzinfo=dt.UTC)
        claimed.append(item)
    claimed.sort(key=lambda c: c.id)
    return claimed


def claim(lane: int, limit: int, token: str, now: dt.datetime) -> list[Claimed]:
    sql = _claim_sql("status = %s AND lane = %s AND due_at <= %s", limit).format(
        extra=", attempts = attempts + 1", order="due_at, id"
    )
    until = now + dt.timedelta(seconds=lease_seconds())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [Status.SENDING, token, _dt(until), Status.QUEUED, lane, _dt(now)])
        return _rows(cursor)


def claim_stale(limit: int, token: str, now: dt.datetime) -> list[Claimed]:
    """Messages whose worker's lease ran out: they may or may not have reached the
    provider."""
    sql = _claim_sql("status = %s AND lease_until < %s", limit).format(extra="", order="id")
    until = now + dt.timedelta(seconds=lease_seconds())
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [Status.SENDING, token, _dt(until), Status.SENDING, _dt(now)])
        return _rows(cursor)


def add_counts(items: list[tuple[str, str, int | None, str]], now: dt.datetime) -> None:
    """Add outcomes to the daily and per-campaign counters: (channel, kind, campaign,
    outcome) per message. Upserts, so concurrent workers add rather than overwrite."""
    if not items:
        return
    day = connection.ops.adapt_datefield_value(timezone.localdate(now))
    daily = Counter((channel, kind, outcome) for channel, kind, _c, outcome in items)
    per_campaign = Counter((c, outcome) for _ch, _k, c, outcome in items if c is not None)
    with connection.cursor() as cursor:
        values = ", ".join(["(%s, %s, %s, %s, %s)"] * len(daily))
        params: list[Any] = []
        for (channel, kind, outcome), n in sorted(daily.items()):
            params += [day, channel, kind, outcome, n]
        table = DailyCount._meta.db_table
        cursor.execute(
            f"INSERT INTO {table} (day, channel, kind, outcome, count) VALUES {values} "
            f"ON CONFLICT (day, channel, kind, outcome) "
            f"DO UPDATE SET count = {table}.count + excluded.count",
            params,
        )
        if per_campaign:
            values = ", ".join(["(%s, %s, %s)"] * len(per_campaign))
            params = []
            for (campaign_id, outcome), n in sorted(per_campaign.items()):
                params += [campaign_id, outcome, n]
            table = CampaignCount._meta.db_table
            cursor.execute(
                f"INSERT INTO {table} (campaign_id, outcome, count) VALUES {values} "
                f"ON CONFLICT (campaign_id, outcome) "
                f"DO UPDATE SET count = {table}.count + excluded.count",
                params,
            )


def _update_many(sql_set: str, columns: list[str], rows: list[tuple[Any, ...]], token: str,
                 extra: list[Any]) -> None:  # fmt: skip
    update_leased(TABLE, sql_set, columns, rows, token, extra)


class SlidingRate:
    """Per-channel sends per second, shared by every worker through the cache (Redis in
    production). 0 means no limit."""

    def __init__(self, limits: dict[str, int]) -> None:
        self.limits = limits

    def allow(self, channel: str, wanted: int) -> int:
        limit = self.limits.get(channel, 0)
        if not limit or wanted == 0:
            return wanted
        key = f"notify-rate:{channel}:{int(time.time())}"
        cache.add(key, 0, timeout=5)
        try:
            used = cache.incr(key, wanted)
        except ValueError:
            return wanted
        return max(0, min(wanted, limit - (used - wanted)))


class Deliverer:
    def __init__(self, providers: dict[str, Provider] | None = None) -> None:
        self._providers = providers
        self._campaigns: dict[int, Campaign] = {}
        self.rate = SlidingRate(dict(getattr(settings, "NOTIFY_RATE_LIMITS", {})))
        self.token = secrets.token_hex(8)

    @property
    def providers(self) -> dict[str, Provider]:
        if self._providers is None:
            from cityhall.notifications.providers import configured_providers

            self._providers = configured_providers()
        return self._providers

    def close(self) -> None:
        for provider in (self._providers or {}).values():
            provider.close()

    # Claiming ----------------------------------------------------------------------------

    def run_once(
        self, lanes: tuple[int, ...] = (Lane.EMERGENCY, Lane.TRANSACTIONAL, Lane.BULK)
    ) -> int:
        """Deliver one batch from the most urgent lane that has due messages."""
        now = timezone.now()
        for lane in lanes:
            batch = claim(lane, BATCH_SIZES[Lane(lane)], self.token, now)
            if batch:
                self.deliver(batch, claimed_at=time.monotonic())
                return len(batch)
        return 0

    def recover(self) -> int:
        """Settle messages whose worker died: sent if the provider has them, else queued
        again for a normal send."""
        now = timezone.now()
        stale = claim_stale(500, self.token, now)
        if not stale:
            return 0
        sent: list[tuple[Any, ...]] = []
        requeue: list[tuple[Any, ...]] = []
        for item in stale:
            if item.channel == Channel.INBOX:
                sent.append((item.id, "inbox"))
                continue
            provider = self.providers.get(item.channel)
            if provider is None:
                requeue.append((item.id, _dt(now)))
                continue
            try:
                ref = provider.find_sent(self._outgoing(item), item.created_at)
            except ProviderError:
                continue  # cannot tell yet: the lease runs out again and we ask later
            if ref:
                sent.append((item.id, ref))
            else:
                requeue.append((item.id, _dt(now)))
        with transaction.atomic():
            _update_many(
                "status = 'sent', provider_ref = v.ref, sent_at = %s",
                ["id", "ref"], sent, self.token, [_dt(now)],
            )  # fmt: skip
            _update_many(
                "status = 'queued', due_at = v.due", ["id", "due"], requeue, self.token, []
            )
            by_id = {s.id: s for s in stale}
            add_counts(
                [
                    (by_id[i].channel, by_id[i].kind, by_id[i].campaign_id, Status.SENT)
                    for i, _ref in sent
                ],
                now,
            )
        logger.info("recovered %d messages: %d found sent, %d queued again",
                    len(stale), len(sent), len(requeue))  # fmt: skip
        return len(stale)

    # Sending -----------------------------------------------------------------------------

    def _campaign(self, campaign_id: int) -> Campaign:
        campaign = self._campaigns.get(campaign_id)
        if campaign is None:
            campaign = self._campaigns[campaign_id] = Campaign.objects.get(pk=campaign_id)
        return campaign

    def _outgoing(self, item: Claimed) -> Outgoing:
        subject, text, link = item.subject, item.body, item.link
        if item.campaign_id is not None:
            campaign = self._campaign(item.campaign_id)
            language = item.language if item.language in ("en", "es") else "en"
            link = link or actions.queries.public_base_url() + "/account/inbox/"
            values = {"name": item.recipient_name, "link": link}
            subject = templating.render(getattr(campaign, f"subject_{language}"), values)
            source = getattr(campaign, f"sms_{language}") if item.channel == Channel.SMS else ""
            text = templating.render(source or getattr(campaign, f"body_{language}"), values)
        if item.channel == Channel.SMS:
            return Outgoing(
                message_id=item.id,
                channel=item.channel,
                to=normalise_phone(item.to),
                text=templating.fit_sms(" ".join(text.split())),
                language=item.language,
                callback_url=self._callback_url(),
            )
        html = ""
        headers: dict[str, str] = {}
        unsubscribe = ""
        if item.channel == Channel.EMAIL and item.user_id and item.kind != Kind.EMERGENCY:
            scope = f"topic:{item.topic}" if item.topic else f"kind:{item.kind}:email"
            unsubscribe = actions.unsubscribe_url(item.user_id, scope, item.campaign_id)
            headers = {
                "List-Unsubscribe": f"<{unsubscribe}>",
                "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            }
        if item.channel == Channel.EMAIL:
            html = templating.email_html(
                language=item.language,
                subject=subject,
                text=text,
                unsubscribe_url=unsubscribe or actions.queries.public_base_url() + "/account/",
            )
        return Outgoing(
            message_id=item.id,
            channel=item.channel,
            to=item.to,
            subject=subject,
            text=text,
            html=html,
            language=item.language,
            headers=headers,
        )

    def _callback_url(self) -> str:
        from django.urls import reverse

        return actions.queries.public_base_url() + reverse("notifications:twilio_status")

    def _opted_out(self, batch: list[Claimed]) -> set[str]:
        phones = {normalise_phone(i.to) for i in batch if i.channel == Channel.SMS}
        phones.discard("")
        if not phones:
            return set()
        from cityhall.intake.queries import opted_out_phones

        return opted_out_phones(phones)

    def deliver(self, batch: list[Claimed], *, claimed_at: float) -> None:
        now = timezone.now()
        deadline = claimed_at + lease_seconds() * 0.8
        sent: list[tuple[Any, ...]] = []
        delivered: list[tuple[Any, ...]] = []
        failed: list[tuple[Any, ...]] = []
        retry: list[tuple[Any, ...]] = []
        released: list[tuple[Any, ...]] = []
        opted_out = self._opted_out(batch)
        allowance = {
            channel: self.rate.allow(channel, sum(1 for i in batch if i.channel == channel))
            for channel in {i.channel for i in batch}
        }
        outcomes: list[tuple[str, str, int | None, str]] = []
        for item in batch:
            if time.monotonic() > deadline:
                released.append((item.id, _dt(now)))  # our lease is ending: leave it
                continue
            if item.channel == Channel.INBOX:
                delivered.append((item.id, "inbox"))
                outcomes.append((item.channel, item.kind, item.campaign_id, Status.DELIVERED))
                continue
            problem = self._invalid(item, opted_out)
            if problem is not None:
                status, reason = problem
                failed.append((item.id, status, reason))
                outcomes.append((item.channel, item.kind, item.campaign_id, status))
                continue
            if allowance.get(item.channel, 0) <= 0:
                released.append((item.id, _dt(now + dt.timedelta(seconds=1))))
                continue
            allowance[item.channel] -= 1
            provider = self.providers.get(item.channel)
            if provider is None:
                retry.append((item.id, _dt(now + backoff(item.attempts)), "no provider configured"))
                continue
            try:
                ref = provider.send(self._outgoing(item))
            except ProviderError as error:
                if error.permanent or item.attempts >= max_attempts():
                    reason = error.reason if error.permanent else f"gave up: {error.reason}"
                    failed.append((item.id, Status.FAILED, reason[:200]))
                    outcomes.append((item.channel, item.kind, item.campaign_id, Status.FAILED))
                else:
                    retry.append((item.id, _dt(now + backoff(item.attempts)), error.reason[:200]))
                    outcomes.append((item.channel, item.kind, item.campaign_id, "retried"))
                continue
            sent.append((item.id, ref[:64]))
            outcomes.append((item.channel, item.kind, item.campaign_id, Status.SENT))
        done = timezone.now()
        with transaction.atomic():
            _update_many(
                "status = 'sent', provider_ref = v.ref, sent_at = %s, failure_reason = ''",
                ["id", "ref"], sent, self.token, [_dt(done)],
            )  # fmt: skip
            _update_many(
                "status = 'delivered', provider_ref = v.ref, sent_at = %s, delivered_at = %s",
                ["id", "ref"], delivered, self.token, [_dt(done), _dt(done)],
            )  # fmt: skip
            _update_many(
                "status = v.status, failure_reason = v.reason",
                ["id", "status", "reason"], failed, self.token, [],
            )  # fmt: skip
            _update_many(
                "status = 'queued', due_at = v.due, failure_reason = v.reason",
                ["id", "due", "reason"], retry, self.token, [],
            )  # fmt: skip
            _update_many(
                f"status = 'queued', due_at = v.due, attempts = {TABLE}.attempts - 1",
                ["id", "due"], released, self.token, [],
            )  # fmt: skip
            add_counts(outcomes, done)
            if len(batch) < BATCH_SIZES[Lane(batch[0].lane)]:  # the lane may have run dry
                self._finish_campaigns({i.campaign_id for i in batch if i.campaign_id})

    def _invalid(self, item: Claimed, opted_out: set[str]) -> tuple[str, str] | None:
        """Per-recipient problems: reported on that message, never fatal to a campaign."""
        if item.channel == Channel.SMS:
            phone = normalise_phone(item.to)
            if not phone:
                return Status.FAILED, "invalid phone number"
            if phone in opted_out:
                return Status.SUPPRESSED, "texted STOP"
        if item.channel == Channel.EMAIL:
            try:
                validate_email(item.to)
            except ValidationError:
                return Status.FAILED, "invalid email address"
        return None

    def _finish_campaigns(self, campaign_ids: set[int]) -> None:
        from cityhall.notifications.models import CampaignStatus

        for campaign_id in campaign_ids:
            pending = Message.objects.filter(
                campaign_id=campaign_id, status__in=[Status.QUEUED, Status.SENDING]
            ).exists()
            if not pending:
                Campaign.objects.filter(pk=campaign_id, status=CampaignStatus.SENDING).update(
                    status=CampaignStatus.SENT
                )


class Housekeeping:
    """Periodic work for the worker loop: digests at the configured hour, reminders whose
    day has come, stale leases."""

    def __init__(self, deliverer: Deliverer) -> None:
        self.deliverer = deliverer
        self.last: dict[str, float] = {}

    def due(self, name: str, every: float) -> bool:
        now = time.monotonic()
        if now - self.last.get(name, -1e9) >= every:
            self.last[name] = now
            return True
        return False

    def run(self) -> None:
        if self.due("recover", 5):
            self.deliverer.recover()
        if self.due("reminders", 60):
            actions.queue_due_reminders()
        if self.due("retention", 3600):
            actions.forget_old_contents()
        if self.due("digests", 60):
            hour = int(getattr(settings, "NOTIFY_DIGEST_HOUR", 7))
            if timezone.localtime().hour >= hour:
                actions.release_digests(now=_today_at(hour))


def _today_at(hour: int) -> dt.datetime:
    local = timezone.localtime()
    return local.replace(hour=hour, minute=0, second=0, microsecond=0)
