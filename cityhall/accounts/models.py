"""Resident accounts, the household profiles they hold, and what they consented to."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def _create(self, email: str, password: str | None, **extra: object) -> User:
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra: object) -> User:
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create(email, password, **extra)


class User(AbstractUser):
    """One person's sign-in. Everything personal hangs off their profiles."""

    username = None  # type: ignore[assignment]
    email = models.EmailField(_("email address"), unique=True)
    phone = models.CharField(_("mobile phone"), max_length=20, blank=True)
    phone_verified_at = models.DateTimeField(null=True, blank=True, editable=False)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []  # type: ignore[misc]

    objects = UserManager()  # type: ignore[misc,assignment]

    def __str__(self) -> str:
        return self.email


class Persona(models.TextChoices):
    RESIDENT = "resident", _("Resident")
    BUSINESS_OWNER = "business_owner", _("Business owner")
    PROPERTY_OWNER = "property_owner", _("Property owner")
    RENTER = "renter", _("Renter")
    LANDLORD = "landlord", _("Landlord")
    PARENT = "parent", _("Parent or guardian")
    STUDENT = "student", _("Student")
    SENIOR = "senior", _("Senior (65+)")
    VETERAN = "veteran", _("Veteran")
    CAREGIVER = "caregiver", _("Caregiver")
    VISITOR = "visitor", _("Visitor")
    CITY_EMPLOYEE = "city_employee", _("City employee")


class Topic(models.TextChoices):
    TRASH = "trash", _("Trash and recycling")
    STREETS = "streets", _("Streets and sidewalks")
    PARKS = "parks", _("Parks and recreation")
    SAFETY = "safety", _("Public safety")
    HOUSING = "housing", _("Housing")
    BUSINESS = "business", _("Business and permits")
    TAXES = "taxes", _("Taxes and payments")
    TRANSIT = "transit", _("Parking and transit")
    SCHOOLS = "schools", _("Schools and libraries")
    HEALTH = "health", _("Health and social services")
    ENVIRONMENT = "environment", _("Environment and water")
    EVENTS = "events", _("Events and culture")


class Digest(models.TextChoices):
    IMMEDIATE = "immediate", _("As it happens")
    DAILY = "daily", _("Once a day, in a digest")


class Profile(models.Model):
    """A person in the household: me, my child, the parent I help."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profiles"
    )
    name = models.CharField(_("name"), max_length=80)
    is_primary = models.BooleanField(default=False)
    personas = models.JSONField(_("personas"), default=list, blank=True)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    interests = models.JSONField(_("interests"), default=list, blank=True)
    notify_email = models.BooleanField(_("email"), default=True)
    notify_sms = models.BooleanField(_("text message (SMS)"), default=False)
    notify_in_app = models.BooleanField(_("in-app inbox"), default=True)
    sms_phone = models.CharField(_("mobile number for texts"), max_length=20, blank=True)
    quiet_hours_start = models.TimeField(_("quiet hours start"), null=True, blank=True)
    quiet_hours_end = models.TimeField(_("quiet hours end"), null=True, blank=True)
    digest = models.CharField(
        _("how often"), max_length=16, choices=Digest.choices, default=Digest.IMMEDIATE
    )
    creation_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-is_primary", "created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(is_primary=True),
                name="one_primary_profile_per_account",
            ),
            models.UniqueConstraint(
                fields=["account", "creation_key"], name="profile_creation_idempotent"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def persona_labels(self) -> list[str]:
        labels = dict(Persona.choices)
        return [str(labels[p]) for p in self.personas if p in labels]

    def interest_labels(self) -> list[str]:
        labels = dict(Topic.choices)
        return [str(labels[t]) for t in self.interests if t in labels]


class SavedAddress(models.Model):
    profile = models.ForeignKey(Profile, on_delete=models.CASCADE, related_name="addresses")
    label = models.CharField(_("label"), max_length=40, blank=True)
    address = models.ForeignKey("places.Address", on_delete=models.PROTECT, related_name="+")
    unit = models.CharField(_("apartment or unit"), max_length=20, blank=True)
    creation_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "address", "unit"], name="address_saved_once_per_profile"
            ),
            models.UniqueConstraint(
                fields=["profile", "creation_key"], name="address_creation_idempotent"
            ),
        ]

    def __str__(self) -> str:
        unit = f", {self.unit}" if self.unit else ""
        return f"{self.address.line}{unit}"


class ConsentPurpose(models.TextChoices):
    PERSONALISATION = "personalisation", _("Personal suggestions from my history")
    SHARING = "sharing", _("Sharing my details across city departments")
    SMS = "sms", _("Text messages (SMS) from the city")


class ConsentRecord(models.Model):
    """Append-only: the current state is the newest row per purpose."""

    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents"
    )
    purpose = models.CharField(max_length=32, choices=ConsentPurpose.choices)
    granted = models.BooleanField()
    text_version = models.CharField(max_length=32)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["account", "purpose", "-created_at"])]

    def __str__(self) -> str:
        return f"{self.purpose}={'yes' if self.granted else 'no'} ({self.text_version})"


class DeletionStatus(models.TextChoices):
    PENDING = "pending", _("Scheduled")
    CANCELLED = "cancelled", _("Cancelled")
    COMPLETED = "completed", _("Completed")


class DeletionRequest(models.Model):
    account = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="deletion_requests"
    )
    status = models.CharField(
        max_length=16, choices=DeletionStatus.choices, default=DeletionStatus.PENDING
    )
    requested_at = models.DateTimeField(default=timezone.now)
    scheduled_for = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["account"],
                condition=models.Q(status="pending"),
                name="one_pending_deletion_per_account",
            )
        ]

    def __str__(self) -> str:
        return f"deletion of account {self.account_id}: {self.status}"


class PhoneVerification(models.Model):
    """Proving a mobile number by texting a code FROM it to the city's number: the inbound
    message shows the resident holds the phone, and the city never has to send a text."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="phone_verifications")
    phone = models.CharField(max_length=20)
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        indexes = [models.Index(fields=["phone", "expires_at"])]

    def __str__(self) -> str:
        return f"{self.user_id} {self.phone}"
