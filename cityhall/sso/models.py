"""Connected department systems, what residents agreed to share with them, and the signed
webhooks that tell them about changes ("tell us once")."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class SharedField(models.TextChoices):
    NAME = "name", _("Name")
    EMAIL = "email", _("Email address")
    PHONE = "phone", _("Mobile number")
    ADDRESS = "address", _("Home address")
    LIFE_EVENTS = "life_events", _("Life events (a birth, a death in the household, moving away)")


class ChangeKind(models.TextChoices):
    ADDRESS = "address", _("New address")
    NAME = "name", _("New name")
    PHONE = "phone", _("New mobile number")
    EMAIL = "email", _("New email address")
    BIRTH = "birth", _("A birth in the household")
    DEATH = "death", _("A death in the household")
    MOVED_AWAY = "moved_away", _("Moving away from the city")


# Which shared field a change needs before a service may hear of it.
FIELD_FOR_CHANGE = {
    ChangeKind.ADDRESS: SharedField.ADDRESS,
    ChangeKind.NAME: SharedField.NAME,
    ChangeKind.PHONE: SharedField.PHONE,
    ChangeKind.EMAIL: SharedField.EMAIL,
    ChangeKind.BIRTH: SharedField.LIFE_EVENTS,
    ChangeKind.DEATH: SharedField.LIFE_EVENTS,
    ChangeKind.MOVED_AWAY: SharedField.LIFE_EVENTS,
}


def _webhook_secret() -> str:
    return secrets.token_urlsafe(32)


class ConnectedService(models.Model):
    """A department's system: it signs residents in through the city (an OIDC client) and,
    if residents agree, hears about their changes at its webhook."""

    name = models.CharField(_("name"), max_length=120)
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    client = models.OneToOneField(
        "allauth_idp_oidc.Client",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="connected_service",
    )
    webhook_url = models.URLField(_("webhook URL"), blank=True)
    webhook_secret = models.CharField(max_length=64, default=_webhook_secret, editable=False)
    allowed_fields = models.JSONField(_("fields it may receive"), default=list, blank=True)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allowed_labels(self) -> list[str]:
        labels = dict(SharedField.choices)
        return [str(labels[f]) for f in self.allowed_fields if f in labels]


class ConsentGrant(models.Model):
    """A resident agreed to share these scopes with this client. Asked once; reviewed and
    revoked under "Connected services"."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="oidc_consents"
    )
    client = models.ForeignKey(
        "allauth_idp_oidc.Client", on_delete=models.CASCADE, related_name="+"
    )
    scopes = models.JSONField(default=list)
    granted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="one_consent_per_client")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.client_id}"


class SignInContext(models.Model):
    """How the resident signed in when they last authorised a client, for the ID token's
    acr/amr/auth_time (the token request itself comes from the service, not the browser)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    client = models.ForeignKey(
        "allauth_idp_oidc.Client", on_delete=models.CASCADE, related_name="+"
    )
    acr = models.CharField(max_length=16)
    amr = models.JSONField(default=list)
    auth_time = models.BigIntegerField(null=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "client"], name="one_signin_context")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.client_id}: {self.acr}"


class ChangeNotice(models.Model):
    """Something a resident told the city once, to pass on to the services they chose."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="change_notices"
    )
    kind = models.CharField(max_length=16, choices=ChangeKind.choices)
    data = models.JSONField(default=dict)
    created_at = models.DateTimeField(default=timezone.now)
    creation_key = models.CharField(max_length=64, null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "creation_key"], name="change_notice_idempotent"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"


class WebhookStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Sending")
    DELIVERED = "delivered", _("Delivered")
    FAILED = "failed", _("Gave up")


class WebhookDelivery(models.Model):
    """One signed webhook to one service: retried with backoff until it is acknowledged
    (a 2xx answer). `event_id` is the idempotency id the service sees on every attempt."""

    notice = models.ForeignKey(ChangeNotice, on_delete=models.CASCADE, related_name="deliveries")
    service = models.ForeignKey(
        ConnectedService, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    payload = models.JSONField(default=dict)
    status = models.CharField(
        max_length=12, choices=WebhookStatus.choices, default=WebhookStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    due_at = models.DateTimeField(default=timezone.now)
    lease_token = models.CharField(max_length=32, blank=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_error = models.CharField(max_length=200, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["due_at", "id"],
                condition=models.Q(status="pending"),
                name="webhook_ready_idx",
            ),
            models.Index(
                fields=["lease_until"],
                condition=models.Q(status="sending"),
                name="webhook_leased_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service} ← {self.notice}"
