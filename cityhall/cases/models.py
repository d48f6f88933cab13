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
    contact_phone = models.CharField(max_length=20, blank=True)
    contact_name = models.CharField(max_length=120, blank=True)
    answers = models.JSONField(default=dict, blank=True, help_text="Answers to per-type questions.")
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="cases"
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_cases",
    )
    merged_into = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="merged_cases"
    )
    expected_by = models.DateField(null=True, blank=True)
    expected_quantile = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Which percentile of past cases expected_by comes from."
    )
    escalated_at = models.DateTimeField(null=True, blank=True)
    reopened_count = models.PositiveSmallIntegerField(default=0)
    satisfaction = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="1 (very unhappy) to 5 (very happy)."
    )
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
    # Computed by the database, so raw imports get them too. They let the staff queue read
    # "open cases of my department, most urgent first" straight off one index, in the same
    # order on SQLite and PostgreSQL (which disagree on where NULL deadlines sort).
    is_open = models.GeneratedField(
        expression=models.Case(
            models.When(status__in=OPEN_STATUSES, then=models.Value(True)),
            default=models.Value(False),
        ),
        output_field=models.BooleanField(),
        db_persist=True,
    )
    no_deadline = models.GeneratedField(
        expression=models.Case(
            models.When(due_at__isnull=True, then=models.Value(1)),
            default=models.Value(0),
        ),
        output_field=models.SmallIntegerField(),
        db_persist=True,
    )

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(
                fields=["department", "is_open", "no_deadline", "due_at", "created_at", "id"],
                name="queue_open_idx",
            ),
            models.Index(
                fields=["department", "status", "no_deadline", "due_at", "created_at", "id"],
                name="queue_status_idx",
            ),
            models.Index(
                fields=["department", "no_deadline", "due_at", "created_at", "id"],
                name="queue_all_idx",
            ),
            # The same two orders within one request type (type filter; duplicates nearby).
            models.Index(
                fields=["service_type", "is_open", "no_deadline", "due_at", "created_at", "id"],
                name="queue_type_open_idx",
            ),
            models.Index(
                fields=["service_type", "no_deadline", "due_at", "created_at", "id"],
                name="queue_type_all_idx",
            ),
            models.Index(fields=["updated_at"]),
            models.Index(fields=["service_type", "updated_at"]),  # Open311 updated_after
            models.Index(fields=["service_type", "created_at"]),  # Open311 filters
        ]

    def __str__(self) -> str:
        return self.reference or f"case {self.pk}"


class EventKind(models.TextChoices):
    STATUS = "status", _("Status")
    NOTE = "note", _("Note")
    ASSIGNMENT = "assignment", _("Assignment")
    TRANSFER = "transfer", _("Transfer")
    ESCALATION = "escalation", _("Escalation")
    MERGE = "merge", _("Merge")
    SURVEY = "survey", _("Survey")
    MESSAGE = "message", _("Message from the requester")


class CaseEvent(models.Model):
    """One line of a case's timeline. Public events are what residents see."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=16, choices=EventKind.choices, default=EventKind.STATUS)
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


def _photo_path(instance: "CasePhoto", filename: str) -> str:
    return f"cases/{timezone.now():%Y/%m}/{instance.token}.{instance.extension}"


class CasePhoto(models.Model):
    """A photo a resident attached. Stored re-encoded (metadata stripped); the EXIF
    location, when there was one, is kept apart as plain numbers."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="photos")
    token = models.CharField(max_length=32, unique=True)
    extension = models.CharField(max_length=8)
    image = models.FileField(upload_to=_photo_path)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    width = models.PositiveIntegerField()
    height = models.PositiveIntegerField()
    exif_lat = models.FloatField(null=True, blank=True)
    exif_lng = models.FloatField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"photo {self.token}"


class Holiday(models.Model):
    """A city holiday: no working-day deadline counts it."""

    date = models.DateField(unique=True)
    name = models.CharField(max_length=120)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date} {self.name}"


class RoutingRule(models.Model):
    """Type and/or area → department and team. The most specific matching rule wins
    (type+area, then type, then area); with none, the type's own department."""

    service_type = models.ForeignKey(
        "catalog.ServiceType", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    department = models.ForeignKey("org.Department", on_delete=models.CASCADE, related_name="+")
    team = models.ForeignKey(
        "org.Team", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(service_type__isnull=False)
                | models.Q(neighbourhood__isnull=False),
                name="routing_rule_matches_something",
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type or '*'} / {self.neighbourhood or '*'} → {self.department}"


class SavedView(models.Model):
    """A staff member's named queue filter (the query string of the queue page)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="saved_views"
    )
    name = models.CharField(max_length=80)
    query = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "name"], name="saved_view_name_per_user")
        ]

    def __str__(self) -> str:
        return self.name


class ResponseTemplate(models.Model):
    """A ready public reply staff can drop into an update."""

    department = models.ForeignKey(
        "org.Department", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    title = models.CharField(max_length=120)
    body_en = models.CharField(max_length=1000)
    body_es = models.CharField(max_length=1000)

    class Meta:
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title


class ResolutionTime(models.Model):
    """How long past cases of a type took to close, per neighbourhood (null = city-wide).
    Rebuilt by the worker from closed cases; read when a case is routed."""

    service_type = models.ForeignKey("catalog.ServiceType", on_delete=models.CASCADE)
    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.CASCADE, null=True, blank=True
    )
    sample_size = models.PositiveIntegerField()
    median_hours = models.FloatField()
    p80_hours = models.FloatField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service_type", "neighbourhood"], name="resolution_time_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.service_type_id}/{self.neighbourhood_id}: p80 {self.p80_hours:.0f} h"
