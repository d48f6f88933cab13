"""What residents did (with consent), what they declared, what they dismissed, the eligibility
rules staff keep, and the trained suggestion model.

Nothing here holds a protected attribute: eligibility rules can only test what a profile told
us (its personas, the life events it declared, the personas of its household)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import Persona


class EventKind(models.TextChoices):
    VIEW = "view", _("Viewed a service")
    SEARCH = "search", _("Searched")
    CLICK = "click", _("Chose a search result")
    CASE = "case", _("Made a request")
    TRANSACTION = "transaction", _("Completed a transaction")
    LIFE_EVENT = "life_event", _("Declared a life event")


class EngagementEvent(models.Model):
    """One thing a profile did. Written only while the account's personalisation consent is on;
    deleted when it is turned off and after PERSONALIZATION_EVENT_RETENTION_DAYS."""

    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="engagement_events"
    )
    kind = models.CharField(max_length=16, choices=EventKind.choices)
    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    life_event = models.ForeignKey(
        "catalog.LifeEvent", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    query = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["profile", "-created_at"], name="pers_event_profile_time")]

    def __str__(self) -> str:
        return f"{self.profile_id} {self.kind} {self.service_id or self.query}"


class JourneySource(models.TextChoices):
    DECLARED = "declared", _("You told us")
    DETECTED = "detected", _("From what you did here")


class DeclaredLifeEvent(models.Model):
    """A life event a profile is going through: the portal lays out its steps with progress."""

    profile = models.ForeignKey(
        "accounts.Profile", on_delete=models.CASCADE, related_name="declared_life_events"
    )
    life_event = models.ForeignKey("catalog.LifeEvent", on_delete=models.CASCADE, related_name="+")
    source = models.CharField(
        max_length=16, choices=JourneySource.choices, default=JourneySource.DECLARED
    )
    declared_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-declared_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "life_event"], name="life_event_declared_once_per_profile"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: {self.life_event_id}"


class StepDone(models.Model):
    """A journey step the profile marked as done."""

    profile = models.ForeignKey("accounts.Profile", on_delete=models.CASCADE, related_name="+")
    step = models.ForeignKey("catalog.LifeEventStep", on_delete=models.CASCADE, related_name="+")
    done_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["profile", "step"], name="step_done_once_per_profile")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id}: step {self.step_id}"


class Dismissal(models.Model):
    """A suggestion the profile does not want to see again: "service:<slug>" or
    "journey:<life event slug>"."""

    profile = models.ForeignKey("accounts.Profile", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=140)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["profile", "key"], name="suggestion_dismissed_once_per_profile"
            )
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} dismissed {self.key}"


def _check_personas(values: object, field: str) -> None:
    if not isinstance(values, list) or any(v not in Persona.values for v in values):
        raise ValidationError(
            {field: [_("Use a list of these personas: %s.") % ", ".join(Persona.values)]}
        )


class EligibilityRule(models.Model):
    """ "You may qualify for …": staff-edited data, evaluated only on what the profile told us.

    A rule matches when every filled-in condition holds: the profile has one of `personas`, it
    declared one of `life_events`, and someone in its household has one of
    `household_personas`. A rule with no condition never matches."""

    service = models.ForeignKey(
        "catalog.Service", on_delete=models.CASCADE, related_name="eligibility_rules"
    )
    name = models.CharField(_("name"), max_length=120)
    reason_en = models.CharField(
        _("reason shown (English)"),
        max_length=200,
        help_text=_('Completes "You may qualify: …", e.g. "you told us you are 65 or over".'),
    )
    reason_es = models.CharField(_("reason shown (Spanish)"), max_length=200)
    personas = models.JSONField(_("profile has one of these personas"), default=list, blank=True)
    life_events = models.ManyToManyField(
        "catalog.LifeEvent",
        blank=True,
        related_name="+",
        verbose_name=_("profile declared one of these life events"),
    )
    household_personas = models.JSONField(
        _("someone in the household has one of these personas"), default=list, blank=True
    )
    is_active = models.BooleanField(_("active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("eligibility rule")

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        _check_personas(self.personas, "personas")
        _check_personas(self.household_personas, "household_personas")


class SuggestionModel(models.Model):
    """One trained model: per-item next-step neighbours and per-segment popularity, as a
    compressed numpy archive. Serving loads the newest into memory once per process."""

    created_at = models.DateTimeField(default=timezone.now)
    events = models.PositiveIntegerField(default=0)
    profiles = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0.0)
    data = models.BinaryField()

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"model {self.pk} ({self.events} events)"
