"""Conversations with the virtual assistant, the questions it could not answer, and daily
counters that staff read for deflection (never counted from the conversations table)."""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConversationChannel(models.TextChoices):
    WEB = "web", _("Web chat")
    API = "api", _("App")
    SMS = "sms", _("Text message")


class ConversationStatus(models.TextChoices):
    ACTIVE = "active", _("With the assistant")
    WAITING = "waiting", _("Waiting for a person")
    WITH_AGENT = "with_agent", _("With a person")
    CLOSED = "closed", _("Closed")


class Conversation(models.Model):
    """One resident's thread with the assistant. Web and app conversations are known by an
    unguessable id; a text-message conversation by the phone number. `state` holds the task
    in progress (e.g. the request being filed) between turns."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    channel = models.CharField(max_length=8, choices=ConversationChannel.choices)
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assistant_conversations",
    )
    phone = models.CharField(max_length=20, blank=True, db_index=True)
    language = models.CharField(max_length=8, default="en")
    status = models.CharField(
        max_length=12, choices=ConversationStatus.choices, default=ConversationStatus.ACTIVE
    )
    state = models.JSONField(default=dict, blank=True)
    handed_off_at = models.DateTimeField(null=True, blank=True)
    handoff_reason = models.CharField(max_length=200, blank=True)
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_message_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-last_message_at"]
        indexes = [models.Index(fields=["status", "last_message_at"], name="assistant_queue")]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} {self.public_id}"


class Speaker(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    ASSISTANT = "assistant", _("Assistant")
    AGENT = "agent", _("Agent")


class Turn(models.Model):
    """One message in a conversation. A resident's message may carry the client's own id so a
    retried send is answered with the first reply instead of being handled twice."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="turns")
    speaker = models.CharField(max_length=10, choices=Speaker.choices)
    text = models.TextField()
    intent = models.CharField(max_length=80, blank=True)
    confidence = models.FloatField(null=True, blank=True)
    links = models.JSONField(default=list, blank=True)
    handoff = models.BooleanField(default=False)
    client_key = models.CharField(max_length=64, blank=True)
    reply_to = models.OneToOneField(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="reply"
    )
    agent = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "client_key"],
                condition=~models.Q(client_key=""),
                name="one_turn_per_client_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.speaker}: {self.text[:40]}"


class UnansweredStatus(models.TextChoices):
    OPEN = "open", _("Open")
    ARTICLE = "article", _("Article drafted")
    DISMISSED = "dismissed", _("Dismissed")


class UnansweredQuestion(models.Model):
    """A question the assistant could not answer, grouped by its normalised words, with
    personal details masked before it is stored."""

    key = models.CharField(max_length=200, unique=True)
    example = models.CharField(max_length=300)
    language = models.CharField(max_length=8, default="en")
    count = models.PositiveIntegerField(default=0)
    first_seen = models.DateTimeField(auto_now_add=True)
    last_seen = models.DateTimeField(auto_now=True)
    status = models.CharField(
        max_length=10, choices=UnansweredStatus.choices, default=UnansweredStatus.OPEN
    )
    article = models.ForeignKey(
        "catalog.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-count", "-last_seen"]

    def __str__(self) -> str:
        return self.example


class DailyStat(models.Model):
    """Conversations started and handed to a person, per day and channel, kept by upsert."""

    day = models.DateField()
    channel = models.CharField(max_length=8, choices=ConversationChannel.choices)
    conversations = models.PositiveIntegerField(default=0)
    handed_off = models.PositiveIntegerField(default=0)
    answered = models.PositiveIntegerField(default=0)
    unanswered = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["day", "channel"], name="assistant_stat_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.channel}"
