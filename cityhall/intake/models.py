"""Cases that arrive by text message and by email: the short SMS conversation per phone
number, and the email threads that tie replies to their case."""

from django.db import models
from django.utils import timezone


class SmsStep(models.TextChoices):
    WHAT = "what", "Asking what the problem is"
    CHOOSE = "choose", "Offered numbered request types"
    WHERE = "where", "Asking where"
    DESCRIBE = "describe", "Asking for a description"


class SmsConversation(models.Model):
    """One per phone number. `collected` holds what we know so far for the case being
    reported: {"problem", "choices", "service_code", "address", "description", "last_case"}.
    A conversation idle past `expires_at` starts again from the first question."""

    phone = models.CharField(max_length=20, unique=True)
    step = models.CharField(max_length=16, choices=SmsStep.choices, default=SmsStep.WHAT)
    collected = models.JSONField(default=dict, blank=True)
    language = models.CharField(max_length=8, default="en")
    language_chosen = models.BooleanField(
        default=False, help_text="The person asked for this language (ESPAÑOL / ENGLISH)."
    )
    opted_out_at = models.DateTimeField(
        null=True, blank=True, help_text="Texted STOP: we send nothing until START."
    )
    expires_at = models.DateTimeField(default=timezone.now)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"SMS conversation {self.pk}"


class SmsMessage(models.Model):
    """Each inbound text, once: Twilio retries with the same MessageSid, and a retry gets the
    stored reply instead of moving the conversation on again. The text itself is not kept
    here (what matters ends up on the case)."""

    sid = models.CharField(max_length=64, unique=True)
    conversation = models.ForeignKey(
        SmsConversation, on_delete=models.CASCADE, related_name="messages"
    )
    reply = models.TextField(blank=True, help_text="Empty when we must not answer (after STOP).")
    media_urls = models.JSONField(default=list, blank=True)
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.sid


class EmailThreadStatus(models.TextChoices):
    AWAITING_ADDRESS = "awaiting_address", "Asked the sender for the address"
    FILED = "filed", "Filed as a case"


class EmailThread(models.Model):
    """A request made by email: waiting for an address, or tied to the case it became."""

    status = models.CharField(max_length=20, choices=EmailThreadStatus.choices)
    from_email = models.EmailField()
    from_name = models.CharField(max_length=120, blank=True)
    subject = models.CharField(max_length=200, blank=True)
    description = models.TextField(max_length=4000, blank=True)
    service_code = models.CharField(max_length=100, blank=True)
    language = models.CharField(max_length=8, default="en")
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"email thread {self.pk}"


class InboundOutcome(models.TextChoices):
    CREATED = "created", "Filed a new case"
    THREADED = "threaded", "Added to an existing case"
    ASKED_ADDRESS = "asked_address", "Asked for the address"
    IGNORED = "ignored", "Ignored (automatic reply or bounce)"


class InboundEmail(models.Model):
    """Each inbound message once, by its Message-ID: a retry returns the first outcome."""

    message_id = models.CharField(max_length=255, unique=True)
    thread = models.ForeignKey(
        EmailThread, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound"
    )
    case = models.ForeignKey(
        "cases.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    outcome = models.CharField(max_length=20, choices=InboundOutcome.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.message_id


class OutboundEmail(models.Model):
    """An email we send back. Its Message-ID is stored so a reply to it finds the thread; the
    worker sends it after the transaction that wrote it commits."""

    message_id = models.CharField(max_length=255, unique=True)
    thread = models.ForeignKey(EmailThread, on_delete=models.CASCADE, related_name="outbound")
    to = models.EmailField()
    subject = models.CharField(max_length=255)
    body = models.TextField()
    in_reply_to = models.CharField(max_length=255, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.message_id
