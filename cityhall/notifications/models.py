"""Messages to residents: templates, campaigns, the outbox the workers deliver from, and
the counters the dashboard reads."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Channel(models.TextChoices):
    EMAIL = "email", _("Email")
    SMS = "sms", _("Text message (SMS)")
    INBOX = "inbox", _("In-app inbox")


class Kind(models.TextChoices):
    """What a message is about; residents choose channels per kind."""

    CASE_UPDATE = "case_update", _("Updates on my requests")
    REMINDER = "reminder", _("Reminders (renewals, appointments, bills)")
    NEWS = "news", _("News on topics I follow")
    EMERGENCY = "emergency", _("Emergency alerts")
    DIGEST = "digest", _("Daily digest")
    REPLY = "reply", _("A person's reply to my question")


class Lane(models.IntegerChoices):
    """Delivery order: a worker always empties a lower lane before taking from a higher one,
    so a big campaign (bulk) never delays a case update (transactional)."""

    EMERGENCY = 0, _("Emergency")
    TRANSACTIONAL = 1, _("Transactional")
    BULK = 2, _("Bulk")


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    HELD = "held", _("Held for the daily digest")
    SENDING = "sending", _("Handed to a worker")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Failed")
    SUPPRESSED = "suppressed", _("Not sent (opted out)")
    DIGESTED = "digested", _("Sent in a digest")
    CANCELLED = "cancelled", _("Cancelled")


TERMINAL_STATUSES = frozenset(
    {Status.SENT, Status.DELIVERED, Status.FAILED, Status.SUPPRESSED, Status.DIGESTED}
)


class Template(models.Model):
    """One version of the words for a kind of message on a channel in a language. Saving
    an edit writes a new version; messages keep the version they were written with."""

    kind = models.CharField(max_length=16, choices=Kind.choices)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    language = models.CharField(max_length=8, choices=settings.LANGUAGES)
    version = models.PositiveIntegerField()
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    body = models.TextField(_("message"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["kind", "channel", "language", "-version"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "channel", "language", "version"], name="template_version_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind}/{self.channel}/{self.language} v{self.version}"


class CampaignStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    AWAITING_APPROVAL = "awaiting_approval", _("Waiting for a second approval")
    APPROVED = "approved", _("Approved, sending soon")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    CANCELLED = "cancelled", _("Cancelled")


class Campaign(models.Model):
    """A message staff write to everyone a set of criteria selects. Criteria of different
    kinds all have to match (a neighbourhood AND a topic); several values of one kind are
    alternatives (this neighbourhood OR that one)."""

    title = models.CharField(_("title"), max_length=120)
    is_emergency = models.BooleanField(_("emergency alert"), default=False)
    topic = models.CharField(_("topic"), max_length=32, blank=True)
    channels = models.JSONField(_("channels"), default=list)
    subject_en = models.CharField(_("subject (English)"), max_length=200)
    body_en = models.TextField(_("message (English)"))
    sms_en = models.CharField(_("text message (English)"), max_length=480, blank=True)
    subject_es = models.CharField(_("subject (Spanish)"), max_length=200)
    body_es = models.TextField(_("message (Spanish)"))
    sms_es = models.CharField(_("text message (Spanish)"), max_length=480, blank=True)
    # Targeting
    neighbourhoods = models.JSONField(default=list, blank=True)  # neighbourhood ids
    polygon = models.JSONField(default=list, blank=True)  # [[lat, lng], …]
    center_lat = models.FloatField(null=True, blank=True)
    center_lng = models.FloatField(null=True, blank=True)
    radius_m = models.PositiveIntegerField(null=True, blank=True)
    topics = models.JSONField(default=list, blank=True)
    personas = models.JSONField(default=list, blank=True)
    service_codes = models.JSONField(default=list, blank=True)
    # Workflow
    status = models.CharField(
        max_length=20, choices=CampaignStatus.choices, default=CampaignStatus.DRAFT
    )
    audience_size = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    enqueued = models.PositiveIntegerField(default=0)
    creation_key = models.CharField(max_length=64, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["created_by", "creation_key"], name="campaign_creation_idempotent"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Message(models.Model):
    """One message to one recipient on one channel: the outbox row a worker delivers.

    Written in the transaction of the event that causes it. A worker claims rows by setting
    `lease_token`/`lease_until` (status `sending`), hands them to the provider and records
    the outcome; a row whose lease ran out with its worker is reconciled with the provider
    (`find_sent`) before it is sent again, so a crash neither loses nor repeats a message.
    Campaign messages carry no text of their own: the words come from the campaign."""

    lane = models.PositiveSmallIntegerField(choices=Lane.choices, default=Lane.TRANSACTIONAL)
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED)
    # No database-level foreign keys and no single-column FK indexes on this table: at a
    # million rows per campaign their deferred checks and extra indexes tripled the time to
    # write a campaign (decisions/0008). Django still cascades deletes; the inbox index
    # below starts with `user`.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="notifications",
        db_constraint=False,
        db_index=False,
    )
    to = models.CharField(max_length=254, blank=True)
    language = models.CharField(max_length=8, default="en")
    recipient_name = models.CharField(max_length=80, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    body = models.TextField(blank=True)
    link = models.CharField(max_length=300, blank=True)
    topic = models.CharField(max_length=32, blank=True)
    template = models.ForeignKey(
        Template,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        db_constraint=False,
        db_index=False,
    )
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="messages",
        db_constraint=False,
        db_index=False,
    )
    # Unique per cause and recipient: an event retried or replayed writes no second message.
    dedupe_key = models.CharField(max_length=120, null=True, blank=True)
    due_at = models.DateTimeField(default=timezone.now)
    attempts = models.PositiveSmallIntegerField(default=0)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    provider_ref = models.CharField(max_length=64, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            # What a worker claims: queued rows of a lane that are due, oldest first.
            models.Index(
                fields=["lane", "due_at", "id"],
                condition=models.Q(status="queued"),
                name="message_ready_idx",
            ),
            # Leases that ran out with their worker.
            models.Index(
                fields=["lease_until"],
                condition=models.Q(status="sending"),
                name="message_leased_idx",
            ),
            models.Index(
                fields=["user", "channel", "status"],
                condition=models.Q(status="held"),
                name="message_held_idx",
            ),
            models.Index(fields=["user", "channel", "-created_at"], name="message_inbox_idx"),
            # Delivery receipts find their message by the provider's id.
            models.Index(
                fields=["provider_ref"],
                condition=~models.Q(provider_ref=""),
                name="message_provider_ref_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["dedupe_key"],
                condition=models.Q(dedupe_key__isnull=False),
                name="message_dedupe_once",
            ),
            models.UniqueConstraint(
                fields=["campaign", "user", "channel"],
                condition=models.Q(campaign__isnull=False),
                name="campaign_message_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.channel} #{self.pk}"


class DailyCount(models.Model):
    """How many messages reached each outcome per day, channel and kind; kept by adding to
    it as outcomes happen (never by counting the messages table)."""

    day = models.DateField()
    channel = models.CharField(max_length=8, choices=Channel.choices)
    kind = models.CharField(max_length=16, choices=Kind.choices)
    outcome = models.CharField(max_length=16)
    count = models.BigIntegerField(default=0)

    class Meta:
        ordering = ["-day", "channel", "kind", "outcome"]
        constraints = [
            models.UniqueConstraint(
                fields=["day", "channel", "kind", "outcome"], name="daily_count_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel} {self.kind} {self.outcome}={self.count}"


class CampaignCount(models.Model):
    """Outcomes per campaign, kept the same way."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="counts")
    outcome = models.CharField(max_length=16)
    count = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "outcome"], name="campaign_count_once")
        ]

    def __str__(self) -> str:
        return f"{self.campaign_id} {self.outcome}={self.count}"


class KindPreference(models.Model):
    """Channels an account wants for one kind of message, when it differs from the
    profile's general choice."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kind_preferences"
    )
    kind = models.CharField(max_length=16, choices=Kind.choices)
    email = models.BooleanField(default=True)
    sms = models.BooleanField(default=False)
    inbox = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "kind"], name="kind_preference_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} {self.kind}"


class Reminder(models.Model):
    """A dated reminder from the city's data (a licence renewal, an appointment, a bill):
    it becomes a message `days_before` its date."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    title = models.CharField(max_length=160)
    due_on = models.DateField()
    remind_on = models.DateField()
    link = models.CharField(max_length=300, blank=True)
    source_key = models.CharField(max_length=120, unique=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["remind_on", "id"]
        indexes = [
            models.Index(
                fields=["remind_on"],
                condition=models.Q(queued_at__isnull=True),
                name="reminder_due_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.due_on})"


class TopicOptOut(models.Model):
    """An account that unsubscribed from news on a topic (one click, from any message)."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="topic_opt_outs"
    )
    topic = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "topic"], name="topic_opt_out_once")
        ]

    def __str__(self) -> str:
        return f"{self.account_id} out of {self.topic}"
