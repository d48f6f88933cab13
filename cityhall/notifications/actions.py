"""Every write to notifications: messages into the outbox (in the caller's transaction),
templates, campaigns and their approval, preferences, unsubscribes, delivery receipts."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from cityhall.accounts.models import ConsentRecord, Digest, Persona, Profile, Topic
from cityhall.audit.actions import record_write
from cityhall.core.tasks import enqueue_with_transaction
from cityhall.notifications import queries, templating
from cityhall.notifications.models import (
    Campaign,
    CampaignStatus,
    Channel,
    Kind,
    KindPreference,
    Lane,
    Message,
    Reminder,
    Status,
    Template,
    TopicOptOut,
)

UNSUBSCRIBE_SALT = "cityhall.notifications.unsubscribe"
CAMPAIGN_PLACEHOLDERS = frozenset({"name", "link"})


# The outbox ------------------------------------------------------------------------------


def current_templates(kind: str) -> dict[tuple[str, str], Template]:
    """The newest saved version per channel and language."""
    found: dict[tuple[str, str], Template] = {}
    for template in Template.objects.filter(kind=kind).order_by("channel", "language", "-version"):
        found.setdefault((template.channel, template.language), template)
    return found


def _words(
    kind: str, channel: str, language: str, saved: dict[tuple[str, str], Template]
) -> tuple[str, str, Template | None]:
    template = saved.get((channel, language)) or saved.get((channel, "en"))
    if template is not None:
        return template.subject, template.body, template
    subject, body = templating.DEFAULTS.get(
        (kind, channel, language), templating.DEFAULTS[(kind, channel, "en")]
    )
    return subject, body, None


def queue_messages(
    *,
    user_ids: list[int],
    kind: str,
    values: Any,
    dedupe: str,
    link: str = "",
    now: dt.datetime | None = None,
) -> int:
    """Write one message per recipient and channel they chose, in the caller's transaction.
    `values(language)` gives the placeholders in the recipient's language. Quiet hours
    delay and daily digests hold what can wait; emergencies go at once. `dedupe` names the
    cause, so the same cause never writes a second message to the same person."""
    now = now or timezone.now()
    saved = current_templates(kind)
    lane = Lane.EMERGENCY if kind == Kind.EMERGENCY else Lane.TRANSACTIONAL
    rows = []
    for person in queries.recipients(user_ids, kind):
        with translation.override(person.language):
            placeholders = {**values(person.language), "name": person.name}
        for channel in person.channels:
            subject_text, body_text, template = _words(kind, channel, person.language, saved)
            body = templating.render(body_text, placeholders).strip()
            if channel == Channel.SMS:
                body = templating.fit_sms(" ".join(body.split()))
            status, due_at = Status.QUEUED, now
            if kind != Kind.EMERGENCY and channel in queries.INTERRUPTING_CHANNELS:
                if person.daily_digest:
                    status = Status.HELD
                else:
                    due_at = queries.quiet_until(person.quiet_start, person.quiet_end, now) or now
            rows.append(
                Message(
                    lane=lane,
                    channel=channel,
                    kind=kind,
                    status=status,
                    user_id=person.user_id,
                    to=person.email
                    if channel == Channel.EMAIL
                    else person.sms_phone
                    if channel == Channel.SMS
                    else "",
                    language=person.language,
                    recipient_name=person.name,
                    subject=templating.render(subject_text, placeholders)[:200],
                    body=body,
                    link=link,
                    template=template,
                    dedupe_key=f"{dedupe}:{person.user_id}:{channel}"[:120],
                    due_at=due_at,
                    created_at=now,
                )
            )
    keys = [row.dedupe_key for row in rows]
    seen = set(Message.objects.filter(dedupe_key__in=keys).values_list("dedupe_key", flat=True))
    fresh = [row for row in rows if row.dedupe_key not in seen]
    Message.objects.bulk_create(fresh, ignore_conflicts=True)  # a concurrent retry loses here
    return len(fresh)


def queue_text_reply(
    *, to: str, body: str, language: str, dedupe: str, now: dt.datetime | None = None
) -> None:
    """A person's answer to someone who texted the city: it goes to the number that asked,
    whatever an account prefers, because they are waiting for it in that conversation.
    Written in the caller's transaction; `dedupe` names the answer so it is sent once."""
    now = now or timezone.now()
    Message.objects.bulk_create(
        [
            Message(
                lane=Lane.TRANSACTIONAL,
                channel=Channel.SMS,
                kind=Kind.REPLY,
                status=Status.QUEUED,
                to=to,
                language=language,
                body=templating.fit_sms(" ".join(body.split())),
                dedupe_key=dedupe[:120],
                due_at=now,
                created_at=now,
            )
        ],
        ignore_conflicts=True,  # the same answer queued twice is one message
    )


def _case_link(reference: str) -> str:
    return queries.public_base_url() + reverse("cases:detail", args=[reference])


def notify_case_event(*, event: Any) -> int:
    """Tell the requester and followers about a public change to a case, in the
    transaction that made it. The person who made the change is not told about it."""
    case = event.case
    if not event.is_public or not case.reference:
        return 0
    people = set(case.follows.values_list("user_id", flat=True))
    if case.requester_id:
        people.add(case.requester_id)
    people.discard(getattr(event, "actor_id", None))
    if not people:
        return 0
    service = case.service_type

    def values(language: str) -> dict[str, str]:
        from cityhall.cases.models import CaseStatus

        status = event.status or case.status
        return {
            "case_number": case.reference,
            "service": (
                service.name_es if language == "es" and service.name_es else service.name_en
            ),
            "status": str(CaseStatus(status).label) if status in CaseStatus.values else status,
            "note": event.message or "",
            "case_url": _case_link(case.reference),
            "expected_date": formats.date_format(timezone.localtime(case.due_at).date())
            if case.due_at
            else "",
        }

    return queue_messages(
        user_ids=sorted(people),
        kind=Kind.CASE_UPDATE,
        values=values,
        dedupe=f"case-event:{event.pk}",
        link=_case_link(case.reference),
    )


# Templates --------------------------------------------------------------------------------


@transaction.atomic
def save_template(
    *, actor: Any, kind: str, channel: str, language: str, subject: str, body: str
) -> Template:
    """A new version of a template; the old ones stay for the messages that used them."""
    if not queries.can_compose(actor):
        raise PermissionDenied
    errors: dict[str, list[str]] = {}
    if kind not in templating.EDITABLE_KINDS:
        errors["kind"] = [_("Choose a kind of message from the list.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Choose a channel from the list.")]
    if language not in {str(code) for code, _name in _languages()}:
        errors["language"] = [_("Choose a language from the list.")]
    body = (body or "").strip()
    subject = (subject or "").strip()
    if not body:
        errors["body"] = [_("Write the message.")]
    if channel == Channel.EMAIL and not subject:
        errors["subject"] = [_("An email needs a subject.")]
    if not errors:
        for field, text in (("subject", subject), ("body", body)):
            unknown = templating.unknown_placeholders(text, kind)
            if unknown:
                errors[field] = [
                    _("Unknown placeholders: %(names)s. You can use: %(allowed)s.")
                    % {
                        "names": ", ".join(f"{{{{ {n} }}}}" for n in unknown),
                        "allowed": ", ".join(
                            f"{{{{ {n} }}}}" for n in sorted(templating.PLACEHOLDERS[kind])
                        ),
                    }
                ]
        if channel == Channel.SMS and not errors:
            sample = templating.render(body, templating.SAMPLE_VALUES)
            if templating.sms_segments(sample) > templating.MAX_SMS_SEGMENTS:
                errors["body"] = [
                    _("With sample values this text needs %(n)d parts; keep it to %(max)d.")
                    % {
                        "n": templating.sms_segments(sample),
                        "max": templating.MAX_SMS_SEGMENTS,
                    }
                ]
    if errors:
        raise ValidationError(errors)
    latest = (
        Template.objects.select_for_update()
        .filter(kind=kind, channel=channel, language=language)
        .order_by("-version")
        .first()
    )
    template = Template.objects.create(
        kind=kind,
        channel=channel,
        language=language,
        version=(latest.version + 1) if latest else 1,
        subject=subject,
        body=body,
        created_by=actor,
    )
    record_write(
        actor=actor,
        action="notifications.template_saved",
        summary=f"Template {kind}/{channel}/{language} v{template.version}",
        obj=template,
    )
    return template


def _languages() -> list[tuple[str, Any]]:
    from django.conf import settings

    return list(settings.LANGUAGES)


# Campaigns ------------------------------------------------------------------------------

CAMPAIGN_FIELDS = (
    "title", "is_emergency", "topic", "channels", "subject_en", "body_en", "sms_en",
    "subject_es", "body_es", "sms_es", "neighbourhoods", "polygon", "center_lat",
    "center_lng", "radius_m", "topics", "personas", "service_codes",
)  # fmt: skip


def _check_campaign(data: dict[str, Any], actor: Any) -> dict[str, list[str]]:
    from cityhall.catalog.models import ServiceType
    from cityhall.places.models import Neighbourhood

    errors: dict[str, list[str]] = {}
    if not data.get("title", "").strip():
        errors["title"] = [_("Give the campaign a title staff will recognise.")]
    channels = data.get("channels") or []
    if not channels or not set(channels) <= set(Channel.values):
        errors["channels"] = [_("Choose at least one channel.")]
    if data.get("is_emergency") and not queries.can_send_emergency(actor):
        errors["is_emergency"] = [_("Only a city admin can send an emergency alert.")]
    if not data.get("is_emergency") and data.get("topic") not in Topic.values:
        errors["topic"] = [_("Choose the topic residents can unsubscribe from.")]
    for language in ("en", "es"):
        for field in (f"subject_{language}", f"body_{language}"):
            if not (data.get(field) or "").strip():
                errors[field] = [_("Write this in both languages.")]
        sms_field = f"sms_{language}"
        if Channel.SMS in channels and not (data.get(sms_field) or "").strip():
            errors[sms_field] = [_("Write the text message in both languages.")]
        sample = templating.render(data.get(sms_field) or "", templating.SAMPLE_VALUES)
        if templating.sms_segments(sample) > templating.MAX_SMS_SEGMENTS:
            errors[sms_field] = [
                _("This text needs %(n)d parts; keep it to %(max)d.")
                % {"n": templating.sms_segments(sample), "max": templating.MAX_SMS_SEGMENTS}
            ]
        for field in (f"subject_{language}", f"body_{language}", sms_field):
            unknown = sorted(
                {
                    n
                    for n in templating.PLACEHOLDER.findall(data.get(field) or "")
                    if n not in CAMPAIGN_PLACEHOLDERS
                }
            )
            if unknown:
                errors[field] = [
                    _("Unknown placeholders: %(names)s. You can use {{ name }} and {{ link }}.")
                    % {"names": ", ".join(f"{{{{ {n} }}}}" for n in unknown)}
                ]
    neighbourhoods = data.get("neighbourhoods") or []
    if neighbourhoods and Neighbourhood.objects.filter(pk__in=neighbourhoods).count() != len(
        set(neighbourhoods)
    ):
        errors["neighbourhoods"] = [_("Choose neighbourhoods from the list.")]
    polygon = data.get("polygon") or []
    if polygon and (
        len(polygon) < 3
        or not all(
            isinstance(p, (list, tuple))
            and len(p) == 2
            and -90 <= float(p[0]) <= 90
            and -180 <= float(p[1]) <= 180
            for p in polygon
        )
    ):
        errors["polygon"] = [
            _("An area needs at least three points, each a latitude and longitude.")
        ]
    has_center = data.get("center_lat") is not None and data.get("center_lng") is not None
    radius = data.get("radius_m")
    if (has_center or radius) and not (has_center and radius and 10 <= int(radius) <= 50_000):
        errors["radius_m"] = [_("Give a place and a radius between 10 and 50,000 metres.")]
    if not set(data.get("topics") or []) <= set(Topic.values):
        errors["topics"] = [_("Choose topics from the list.")]
    if not set(data.get("personas") or []) <= set(Persona.values):
        errors["personas"] = [_("Choose personas from the list.")]
    codes = set(data.get("service_codes") or [])
    if codes and ServiceType.objects.filter(code__in=codes).count() != len(codes):
        errors["service_codes"] = [_("Choose services from the list.")]
    return errors


@transaction.atomic
def save_campaign(
    *,
    actor: Any,
    data: dict[str, Any],
    campaign: Campaign | None = None,
    creation_key: str | None = None,
) -> Campaign:
    """Create or edit a draft. A retried create with the same key returns the first one."""
    if not queries.can_compose(actor):
        raise PermissionDenied
    if campaign is None and creation_key:
        existing = Campaign.objects.filter(created_by=actor, creation_key=creation_key).first()
        if existing is not None:
            return existing
    if campaign is not None:
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status != CampaignStatus.DRAFT:
            raise ValidationError({"status": [_("Only a draft can be changed.")]})
    errors = _check_campaign(data, actor)
    if errors:
        raise ValidationError(errors)
    values = {name: data.get(name) for name in CAMPAIGN_FIELDS if name in data}
    for name in ("title", "subject_en", "body_en", "sms_en", "subject_es", "body_es", "sms_es"):
        if name in values:
            values[name] = (values[name] or "").strip()
    if campaign is None:
        campaign = Campaign.objects.create(created_by=actor, creation_key=creation_key, **values)
        action = "notifications.campaign_created"
    else:
        for name, value in values.items():
            setattr(campaign, name, value)
        campaign.save()
        action = "notifications.campaign_changed"
    campaign.audience_size = queries.audience_size(campaign)
    campaign.save(update_fields=["audience_size"])
    record_write(actor=actor, action=action, summary=f"Campaign {campaign.title}", obj=campaign)
    return campaign


@transaction.atomic
def submit_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    """Send now, or wait for a second person when the audience is over the threshold."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not queries.can_compose(actor) or campaign.created_by_id != actor.pk:
        raise PermissionDenied
    if campaign.status != CampaignStatus.DRAFT:
        return campaign
    campaign.audience_size = queries.audience_size(campaign)
    if queries.needs_approval(campaign):
        campaign.status = CampaignStatus.AWAITING_APPROVAL
    else:
        campaign.status = CampaignStatus.APPROVED
        _start_sending(campaign)
    campaign.save(update_fields=["status", "audience_size"])
    record_write(
        actor=actor,
        action="notifications.campaign_submitted",
        summary=f"Campaign {campaign.title} to {campaign.audience_size} accounts",
        obj=campaign,
    )
    return campaign


@transaction.atomic
def approve_campaign(*, actor: Any, campaign: Campaign) -> Campaign:
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not queries.can_approve(actor, campaign):
        raise PermissionDenied
    if campaign.status != CampaignStatus.AWAITING_APPROVAL:
        return campaign
    campaign.status = CampaignStatus.APPROVED
    campaign.approved_by = actor
    campaign.save(update_fields=["status", "approved_by"])
    _start_sending(campaign)
    record_write(
        actor=actor,
        action="notifications.campaign_approved",
        summary=f"Campaign {campaign.title} approved",
        obj=campaign,
    )
    return campaign


@transaction.atomic
def cancel_campaign(*, actor: Any, campaign: Campaign) -> int:
    """Stop a campaign; messages not yet handed to a provider are not sent."""
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not queries.can_compose(actor):
        raise PermissionDenied
    if campaign.status in (CampaignStatus.SENT, CampaignStatus.CANCELLED):
        return 0
    campaign.status = CampaignStatus.CANCELLED
    campaign.save(update_fields=["status"])
    stopped = Message.objects.filter(
        campaign=campaign, status__in=[Status.QUEUED, Status.HELD]
    ).update(status=Status.CANCELLED)
    record_write(
        actor=actor,
        action="notifications.campaign_cancelled",
        summary=f"Campaign {campaign.title} cancelled ({stopped} messages not sent)",
        obj=campaign,
    )
    return stopped


def _start_sending(campaign: Campaign) -> None:
    from cityhall.notifications.tasks import enqueue_campaign_task

    enqueue_with_transaction(enqueue_campaign_task, campaign.pk)


def _quiet_due_at(now: dt.datetime) -> Any:
    """`due_at` for each profile: the end of its quiet hours when they are on now. There are
    few distinct quiet-hour choices, so this is one CASE over them, not a row-by-row loop."""
    whens = []
    pairs = (  # over every profile: a cheap scan, and unused pairs cost nothing
        Profile.objects.filter(quiet_hours_start__isnull=False, quiet_hours_end__isnull=False)
        .order_by()
        .values_list("quiet_hours_start", "quiet_hours_end")
        .distinct()
    )
    for start, end in pairs:
        until = queries.quiet_until(start, end, now)
        if until is not None:
            whens.append(When(quiet_hours_start=start, quiet_hours_end=end, then=Value(until)))
    if not whens:
        return Value(now, output_field=DateTimeField())
    return Case(*whens, default=Value(now), output_field=DateTimeField())


MESSAGE_INSERT_COLUMNS = (
    "lane", "channel", "kind", "status", "user_id", "to", "language", "recipient_name",
    "subject", "body", "link", "topic", "campaign_id", "due_at", "attempts", "lease_token",
    "provider_ref", "failure_reason", "created_at",
)  # fmt: skip


def enqueue_campaign(*, campaign_id: int, now: dt.datetime | None = None) -> int:
    """Write the campaign's messages with one INSERT … SELECT per channel over its
    audience: a million rows never pass through Python. Runs once: the campaign moves to
    `sending` in the same transaction."""
    now = now or timezone.now()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign_id)
        if campaign.status != CampaignStatus.APPROVED:
            return 0
        emergency = campaign.is_emergency
        kind = Kind.EMERGENCY if emergency else Kind.NEWS
        audience = queries.campaign_audience(campaign).order_by()
        total = 0
        for channel in campaign.channels:
            preference = KindPreference.objects.filter(
                account_id=OuterRef("account_id"), kind=kind
            ).values(channel)[:1]
            profile_choice = {
                Channel.EMAIL: "notify_email",
                Channel.SMS: "notify_sms",
                Channel.INBOX: "notify_in_app",
            }[channel]
            rows = audience
            if channel == Channel.EMAIL:
                rows = rows.exclude(account__email="")
            if channel == Channel.SMS:
                rows = rows.exclude(sms_phone="")
            if not emergency:
                rows = rows.annotate(
                    wanted=Coalesce(
                        Subquery(preference, output_field=BooleanField()),
                        F(profile_choice),
                        output_field=BooleanField(),
                    )
                ).filter(wanted=True)
            waits = not emergency and channel in queries.INTERRUPTING_CHANNELS
            insert = rows.annotate(
                m_lane=Value(Lane.EMERGENCY if emergency else Lane.BULK, IntegerField()),
                m_channel=Value(channel, CharField()),
                m_kind=Value(kind, CharField()),
                m_status=Case(
                    When(digest=Digest.DAILY, then=Value(Status.HELD)),
                    default=Value(Status.QUEUED),
                    output_field=CharField(),
                )
                if waits
                else Value(Status.QUEUED, CharField()),
                m_to=F("account__email")
                if channel == Channel.EMAIL
                else F("sms_phone")
                if channel == Channel.SMS
                else Value("", CharField()),
                m_empty=Value("", CharField()),
                m_topic=Value(campaign.topic, CharField()),
                m_campaign=Value(campaign.pk, IntegerField()),
                m_due=_quiet_due_at(now) if waits else Value(now, DateTimeField()),
                m_zero=Value(0, IntegerField()),
                m_now=Value(now, DateTimeField()),
            ).values_list(
                "m_lane", "m_channel", "m_kind", "m_status", "account_id", "m_to", "language",
                "name", "m_empty", "m_empty", "m_empty", "m_topic", "m_campaign", "m_due",
                "m_zero", "m_empty", "m_empty", "m_empty", "m_now",
            )  # fmt: skip
            select, params = insert.query.sql_with_params()
            columns = ", ".join(connection.ops.quote_name(c) for c in MESSAGE_INSERT_COLUMNS)
            with connection.cursor() as cursor:
                cursor.execute(f"INSERT INTO {Message._meta.db_table} ({columns}) {select}", params)
                total += cursor.rowcount
        campaign.status = CampaignStatus.SENDING
        campaign.enqueued = total
        campaign.sent_at = now
        campaign.save(update_fields=["status", "enqueued", "sent_at"])
    return total


@transaction.atomic
def resend_failed(*, actor: Any, campaign: Campaign | None = None) -> int:
    """Queue failed messages again (after the cause is fixed: a provider outage, a
    credential), with a fresh count of attempts."""
    if not queries.can_compose(actor):
        raise PermissionDenied
    failed = queries.failed_messages(campaign)
    count = failed.update(
        status=Status.QUEUED, attempts=0, due_at=timezone.now(), failure_reason=""
    )
    record_write(
        actor=actor,
        action="notifications.resent_failed",
        summary=f"Queued {count} failed messages again",
        obj=campaign,
    )
    return count


# Preferences and unsubscribing -----------------------------------------------------------


@transaction.atomic
def set_kind_preference(
    *, actor: Any, kind: str, email: bool, sms: bool, inbox: bool
) -> KindPreference:
    if not actor.is_authenticated:
        raise PermissionDenied
    if kind not in Kind.values or kind in (Kind.EMERGENCY, Kind.DIGEST):
        raise ValidationError({"kind": [_("Choose a kind of message from the list.")]})
    preference, _created = KindPreference.objects.update_or_create(
        account=actor, kind=kind, defaults={"email": email, "sms": sms, "inbox": inbox}
    )
    for channel, on in (("email", email), ("sms", sms)):
        ConsentRecord.objects.create(
            account=actor, purpose=f"{channel}:{kind}"[:32], granted=on, text_version="settings"
        )
    return preference


def unsubscribe_token(user_id: int, scope: str, campaign_id: int | None = None) -> str:
    """`scope` is `topic:<slug>` for news on a topic, or `kind:<kind>:<channel>`; the
    campaign, when there is one, is only for counting unsubscribes per campaign."""
    data: dict[str, Any] = {"u": user_id, "s": scope}
    if campaign_id:
        data["c"] = campaign_id
    return signing.dumps(data, salt=UNSUBSCRIBE_SALT, compress=True)


def unsubscribe_url(user_id: int, scope: str, campaign_id: int | None = None) -> str:
    base = queries.public_base_url() + reverse("notifications:unsubscribe", args=["TOKEN"])
    return base.replace("TOKEN", unsubscribe_token(user_id, scope, campaign_id))


def read_unsubscribe_token(token: str) -> tuple[int, str, int | None] | None:
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int):
        return None
    campaign = data.get("c")
    return data["u"], str(data.get("s", "")), campaign if isinstance(campaign, int) else None


@transaction.atomic
def unsubscribe(*, token: str) -> str | None:
    """One click from a message (RFC 8058): no sign-in, the signed token is the proof.
    Returns what was unsubscribed, or None for a bad token. Doing it twice is harmless."""
    from django.contrib.auth import get_user_model

    read = read_unsubscribe_token(token)
    if read is None:
        return None
    user_id, scope, campaign_id = read
    user = get_user_model().objects.filter(pk=user_id).first()
    if user is None:
        return None
    parts = scope.split(":")
    if parts[0] == "topic" and len(parts) == 2 and parts[1] in Topic.values:
        TopicOptOut.objects.get_or_create(account=user, topic=parts[1])
        for profile in Profile.objects.filter(account=user):
            if parts[1] in profile.interests:
                profile.interests = [t for t in profile.interests if t != parts[1]]
                profile.save(update_fields=["interests"])
    elif parts[0] == "kind" and len(parts) == 3 and parts[1] in Kind.values:
        kind, channel = parts[1], parts[2]
        if kind == Kind.EMERGENCY or channel not in (Channel.EMAIL, Channel.SMS):
            return None
        # A digest gathers every kind, so leaving it means leaving them all on that channel.
        kinds = queries.CHOOSABLE_KINDS if kind == Kind.DIGEST else (kind,)
        if not set(kinds) <= set(queries.CHOOSABLE_KINDS):
            return None
        choices = queries.channel_choices(user)
        for each in kinds:
            channels = {**choices[each], channel: False}
            KindPreference.objects.update_or_create(account=user, kind=each, defaults=channels)
    else:
        return None
    ConsentRecord.objects.create(
        account=user, purpose=scope[:32], granted=False, text_version="one-click"
    )
    from cityhall.notifications.delivery import add_counts

    kind = Kind.NEWS if parts[0] == "topic" else parts[1]
    channel = parts[2] if parts[0] == "kind" else Channel.EMAIL
    add_counts([(channel, kind, campaign_id, "unsubscribed")], timezone.now())
    return scope


@transaction.atomic
def mark_read(*, actor: Any, message_ids: list[int]) -> int:
    return Message.objects.filter(
        pk__in=message_ids, user=actor, channel=Channel.INBOX, read_at__isnull=True
    ).update(read_at=timezone.now())


# Reminders ---------------------------------------------------------------------------------


@transaction.atomic
def schedule_reminder(
    *,
    actor: Any,
    account: Any,
    title: str,
    due_on: dt.date,
    days_before: int,
    source_key: str,
    link: str = "",
) -> Reminder:
    """A reminder from the city's data; the same `source_key` again changes nothing."""
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Say what the reminder is for.")]
    if not 0 <= days_before <= 365:
        errors["days_before"] = [_("Remind between 0 and 365 days before.")]
    if errors:
        raise ValidationError(errors)
    reminder, _created = Reminder.objects.get_or_create(
        source_key=source_key,
        defaults={
            "account": account,
            "title": title.strip()[:160],
            "due_on": due_on,
            "remind_on": due_on - dt.timedelta(days=days_before),
            "link": link,
        },
    )
    return reminder


def queue_due_reminders(*, today: dt.date | None = None) -> int:
    """Turn reminders whose day has come into messages (run by the worker)."""
    today = today or timezone.localdate()
    queued = 0
    due = Reminder.objects.filter(remind_on__lte=today, queued_at__isnull=True).order_by("id")
    for reminder in due[:500]:
        with transaction.atomic():
            locked = (
                Reminder.objects.select_for_update()
                .filter(pk=reminder.pk, queued_at__isnull=True)
                .first()
            )
            if locked is None:
                continue

            def values(language: str, r: Reminder = locked) -> dict[str, str]:
                return {
                    "title": r.title,
                    "due_date": formats.date_format(r.due_on),
                    "link": r.link or queries.public_base_url(),
                }

            queued += queue_messages(
                user_ids=[locked.account_id],
                kind=Kind.REMINDER,
                values=values,
                dedupe=f"reminder:{locked.pk}",
                link=locked.link,
            )
            locked.queued_at = timezone.now()
            locked.save(update_fields=["queued_at"])
    return queued


# Digests ------------------------------------------------------------------------------------


def release_digests(*, now: dt.datetime | None = None) -> int:
    """Gather each person's held messages per channel into one digest message."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    pairs = (
        Message.objects.filter(status=Status.HELD, created_at__lte=now)
        .order_by()
        .values_list("user_id", "channel")
        .distinct()
    )
    written = 0
    for user_id, channel in list(pairs)[:5000]:
        with transaction.atomic():
            held = list(
                Message.objects.select_for_update(of=("self",))
                .filter(user_id=user_id, channel=channel, status=Status.HELD, created_at__lte=now)
                .select_related("campaign")
                .order_by("created_at", "id")
            )
            if not held:
                continue
            lines = []
            for message in held:
                subject = message.subject
                if not subject and message.campaign is not None:
                    subject = getattr(message.campaign, f"subject_{message.language}", "") or (
                        message.campaign.subject_en
                    )
                lines.append(f"- {subject}" + (f": {message.link}" if message.link else ""))
            inbox_link = queries.public_base_url() + reverse("notifications:inbox")

            language = held[0].language
            saved = current_templates(Kind.DIGEST)
            subject_text, body_text, template = _words(Kind.DIGEST, channel, language, saved)
            placeholders = {
                "count": str(len(held)),
                "items": "\n".join(lines),
                "link": inbox_link,
                "name": held[0].recipient_name,
            }
            body = templating.render(body_text, placeholders).strip()
            if channel == Channel.SMS:
                body = templating.fit_sms(" ".join(body.split()))
            created = Message.objects.bulk_create(
                [
                    Message(
                        lane=Lane.TRANSACTIONAL,
                        channel=channel,
                        kind=Kind.DIGEST,
                        user_id=user_id,
                        to=held[-1].to,
                        language=language,
                        recipient_name=held[0].recipient_name,
                        subject=templating.render(subject_text, placeholders)[:200],
                        body=body,
                        link=inbox_link,
                        template=template,
                        dedupe_key=f"digest:{user_id}:{channel}:{day.isoformat()}:{held[-1].pk}",
                        due_at=timezone.now(),
                    )
                ],
                ignore_conflicts=True,
            )
            Message.objects.filter(pk__in=[m.pk for m in held]).update(status=Status.DIGESTED)
            written += len(created)
    return written


# Delivery receipts --------------------------------------------------------------------------


def record_delivery_receipt(*, provider_ref: str, delivered: bool, reason: str = "") -> bool:
    """A provider's webhook says what became of a message. Receipts can arrive twice or
    out of order; only a sent message moves on, once."""
    from cityhall.notifications.delivery import add_counts

    with transaction.atomic():
        message = (
            Message.objects.select_for_update()
            .filter(provider_ref=provider_ref, status=Status.SENT)
            .first()
        )
        if message is None:
            return False
        now = timezone.now()
        if delivered:
            message.status = Status.DELIVERED
            message.delivered_at = now
        else:
            message.status = Status.FAILED
            message.failure_reason = (reason or _("Not delivered"))[:200]
        message.save(update_fields=["status", "delivered_at", "failure_reason"])
        add_counts([(message.channel, message.kind, message.campaign_id, str(message.status))], now)
    return True


def erase_personal_data(*, user: Any, email: str, phone: str) -> int:
    """Account deletion: messages not yet sent are cancelled, and every message to the
    person keeps only its counts (no address, number, name or words); reminders, topic
    opt-outs and channel choices go."""
    messages = Message.objects.filter(user=user)
    cancelled = messages.filter(status__in=[Status.QUEUED, Status.HELD]).update(
        status=Status.CANCELLED
    )
    messages.update(to="", recipient_name="", subject="", body="", link="")
    Reminder.objects.filter(account=user).delete()
    TopicOptOut.objects.filter(account=user).delete()
    KindPreference.objects.filter(account=user).delete()
    return cancelled


def forget_old_contents(*, now: dt.datetime | None = None) -> int:
    """Messages settled more than NOTIFY_RETENTION_DAYS ago keep their kind, channel, status
    and dates (the dashboard and a resident's history) but not where they went or what they
    said. Inbox messages stay: they are the resident's own record."""
    from django.conf import settings

    now = now or timezone.now()
    cutoff = now - dt.timedelta(days=int(getattr(settings, "NOTIFY_RETENTION_DAYS", 90)))
    settled = [Status.SENT, Status.DELIVERED, Status.FAILED, Status.SUPPRESSED,
               Status.DIGESTED, Status.CANCELLED]  # fmt: skip
    return (
        Message.objects.filter(created_at__lt=cutoff, status__in=settled)
        .exclude(channel=Channel.INBOX)
        .exclude(to="", body="", subject="", recipient_name="")
        .update(to="", body="", subject="", recipient_name="")
    )
