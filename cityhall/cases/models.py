"""Service requests ("cases") from every channel, and the timeline residents follow."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class CaseStatus(models.TextChoices):
    RECEIVED = "received", _("Received")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    SCHEDULED = "scheduled", _("Scheduled")
    RESOLVED = "resolved", _("Resolved")
    CLOSED = "closed", _("Closed")


OPEN_STATUSES = [
    CaseStatus.RECEIVED,
    CaseStatus.ASSIGNED,
    CaseStatus.IN_PROGRESS,
    CaseStatus.SCHEDULED,
]


class Channel(models.TextChoices):
    WEB = "web", _("Website")
    API = "api", _("App")
    OPEN311 = "open311", _("Open311")
    SMS = "sms", _("Text message")
    EMAIL = "email", _("Email")
    PHONE = "phone", _("Phone")
    INTERNAL = "internal", _("City staff")


class Case(models.Model):
    reference = models.CharField(max_length=20, unique=True, null=True, editable=False)
    service_type = models.ForeignKey(
        "catalog.ServiceType", on_delete=models.PROTECT, related_name="cases"
    )
    department = models.ForeignKey(
        "org.Department", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    status = models.CharField(
        max_length=16, choices=CaseStatus.choices, default=CaseStatus.RECEIVED, db_index=True
    )
    channel = models.CharField(max_length=16, choices=Channel.choices)
    description = models.TextField(max_length=4000)
    address_text = models.CharField(max_length=200, blank=True)
    address = models.ForeignKey(
        "places.Address", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    lat = models.FloatField(null=True, blank=True)
    lng = models.FloatField(null=True, blank=True)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="cases",
        help_text="Empty only for imported requests whose place is outside our map.",
    )
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="cases",
    )
    contact_email = models.EmailField(blank=True)
    creation_key = models.CharField(max_length=64, null=True, blank=True, unique=True)
    status_notes = models.CharField(max_length=1000, blank=True)
    media_url = models.URLField(max_length=500, blank=True)
    source = models.CharField(
        max_length=100, blank=True, help_text="Where an imported request came from."
    )
    routed_at = models.DateTimeField(null=True, blank=True)
    due_at = models.DateTimeField(null=True, blank=True)
    # Set explicitly (not auto_now) so imported requests keep their original times.
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(default=timezone.now)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["department", "status", "due_at"]),
            models.Index(fields=["service_type", "created_at"]),  # Open311 filters
        ]

    def __str__(self) -> str:
        return self.reference or f"case {self.pk}"


class CaseEvent(models.Model):
    """One line of a case's timeline. Public events are what residents see."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(max_length=16, choices=CaseStatus.choices, blank=True)
    message = models.CharField(max_length=1000, blank=True)
    is_public = models.BooleanField(default=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"{self.case} {self.status or 'note'}"


class CaseFollow(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="follows")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followed_cases"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["case", "user"], name="follow_case_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.case}"
