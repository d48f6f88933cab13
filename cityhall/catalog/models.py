"""The catalog of city services, knowledge articles and life events, in English and Spanish.

Staff never edit live rows directly: they save a draft `Revision`, submit it for review, and a
reviewer publishes it, which copies the revision's fields onto the live row (see actions.py).
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from cityhall.org.models import Department


def _lang() -> str:
    return "es" if (translation.get_language() or "en").startswith("es") else "en"


class Translated:
    """`obj.tr.title` is `title_es` when Spanish is active (if filled in), else `title_en`."""

    def __init__(self, obj: Any) -> None:
        self._obj = obj

    def __getattr__(self, field: str) -> Any:
        if field.startswith("_"):
            raise AttributeError(field)
        value = getattr(self._obj, f"{field}_{_lang()}", None)
        return value or getattr(self._obj, f"{field}_en")


class Bilingual:
    def t(self, field: str) -> Any:
        return getattr(Translated(self), field)

    @property
    def tr(self) -> Translated:
        return Translated(self)


class ServiceType(models.Model):
    """A request type residents can report (311). Each has a Service page in the catalog."""

    code = models.SlugField(max_length=100, unique=True)
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    group_en = models.CharField(max_length=100, blank=True)
    group_es = models.CharField(max_length=100, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="service_types"
    )
    sla_days = models.PositiveIntegerField(null=True, blank=True)
    sla_working_days = models.BooleanField(
        default=True, help_text="Count only working days (weekends and city holidays skipped)."
    )
    questions = models.JSONField(
        default=list,
        blank=True,
        help_text='Extra questions for this type: [{"code", "label_en", "label_es", '
        '"required", "choices": [{"key", "name_en", "name_es"}]}].',
    )
    source = models.CharField(max_length=32, blank=True)
    source_code = models.CharField(max_length=200, blank=True)
    descriptors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if _lang() == "es" else self.name_en

    @property
    def report_questions(self) -> list[dict[str, Any]]:
        """The extra questions a report of this type asks: its own, or else "what best
        describes it?" over its descriptors (the same attribute Open311 publishes)."""
        if self.questions:
            return list(self.questions)
        if not self.descriptors:
            return []
        return [
            {
                "code": "descriptor",
                "label_en": "What best describes it?",
                "label_es": "¿Qué lo describe mejor?",
                "required": False,
                "choices": [
                    {"key": d.get("code", ""), "name_en": d.get("name_en", ""),
                     "name_es": d.get("name_es", "") or d.get("name_en", "")}
                    for d in self.descriptors
                ],
            }
        ]  # fmt: skip


class Season(models.TextChoices):
    TAX = "tax", _("Tax season")
    SNOW = "snow", _("Snow season")
    ELECTION = "election", _("Election season")
    SUMMER = "summer", _("Summer")
    SCHOOL = "school", _("Back to school")
    HEAT = "heat", _("Heat season")


class ChannelKind(models.TextChoices):
    ONLINE = "online", _("Online")
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    REQUEST = "request", _("Report it (311)")


class Publishable(models.Model):
    is_published = models.BooleanField(default=True, db_index=True)
    version = models.PositiveIntegerField(default=1)
    popularity = models.FloatField(default=0.0, help_text="0–1, from how often residents use it.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class Service(Bilingual, Publishable):
    slug = models.SlugField(max_length=120, unique=True)
    department = models.ForeignKey(Department, on_delete=models.PROTECT, related_name="services")
    request_type = models.OneToOneField(
        ServiceType, on_delete=models.SET_NULL, null=True, blank=True, related_name="service"
    )
    topic = models.CharField(max_length=32, blank=True)
    personas = models.JSONField(default=list, blank=True)
    title_en = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200)
    summary_en = models.TextField()
    summary_es = models.TextField()
    eligibility_en = models.TextField(blank=True)
    eligibility_es = models.TextField(blank=True)
    steps_en = models.JSONField(default=list, blank=True)
    steps_es = models.JSONField(default=list, blank=True)
    documents_en = models.JSONField(default=list, blank=True)
    documents_es = models.JSONField(default=list, blank=True)
    fees_en = models.CharField(max_length=300, blank=True)
    fees_es = models.CharField(max_length=300, blank=True)
    duration_en = models.CharField(max_length=300, blank=True)
    duration_es = models.CharField(max_length=300, blank=True)
    channels = models.JSONField(default=list, blank=True)
    season = models.CharField(max_length=16, choices=Season.choices, blank=True)
    keywords_en = models.JSONField(default=list, blank=True)
    keywords_es = models.JSONField(default=list, blank=True)
    related = models.ManyToManyField("self", symmetrical=False, blank=True)

    class Meta:
        ordering = ["title_en"]

    def __str__(self) -> str:
        return self.t("title")

    def get_absolute_url(self) -> str:
        return reverse("catalog:service", args=[self.slug])


class Article(Bilingual, Publishable):
    slug = models.SlugField(max_length=120, unique=True)
    topic = models.CharField(max_length=32, blank=True)
    personas = models.JSONField(default=list, blank=True)
    season = models.CharField(max_length=16, choices=Season.choices, blank=True)
    title_en = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200)
    body_en = models.TextField()
    body_es = models.TextField()
    keywords_en = models.JSONField(default=list, blank=True)
    keywords_es = models.JSONField(default=list, blank=True)
    related_services = models.ManyToManyField(Service, blank=True, related_name="articles")

    class Meta:
        ordering = ["title_en"]

    def __str__(self) -> str:
        return self.t("title")

    def get_absolute_url(self) -> str:
        return reverse("catalog:article", args=[self.slug])


class LifeEvent(Bilingual, Publishable):
    slug = models.SlugField(max_length=120, unique=True)
    personas = models.JSONField(default=list, blank=True)
    title_en = models.CharField(max_length=200)
    title_es = models.CharField(max_length=200)
    summary_en = models.TextField()
    summary_es = models.TextField()
    keywords_en = models.JSONField(default=list, blank=True)
    keywords_es = models.JSONField(default=list, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["position", "title_en"]

    def __str__(self) -> str:
        return self.t("title")

    def get_absolute_url(self) -> str:
        return reverse("catalog:life_event", args=[self.slug])


class LifeEventStep(Bilingual, models.Model):
    life_event = models.ForeignKey(LifeEvent, on_delete=models.CASCADE, related_name="steps")
    position = models.PositiveIntegerField()
    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="+")
    note_en = models.CharField(max_length=300, blank=True)
    note_es = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["life_event", "position"], name="one_step_per_position")
        ]

    def __str__(self) -> str:
        return f"{self.life_event.slug} #{self.position}: {self.service.slug}"


class RevisionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    IN_REVIEW = "in_review", _("In review")
    PUBLISHED = "published", _("Published")
    REJECTED = "rejected", _("Sent back")


class ContentKind(models.TextChoices):
    SERVICE = "service", _("Service")
    ARTICLE = "article", _("Article")
    LIFE_EVENT = "life_event", _("Life event")


class ContentRevision(models.Model):
    """One proposed (or published) version of an item's editable text; together, its history."""

    kind = models.CharField(max_length=16, choices=ContentKind.choices)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveIntegerField()
    base_version = models.PositiveIntegerField(
        default=0, help_text="The live version this draft was written from."
    )
    status = models.CharField(
        max_length=16, choices=RevisionStatus.choices, default=RevisionStatus.DRAFT
    )
    data = models.JSONField()
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    note = models.CharField(max_length=500, blank=True)
    creation_key = models.CharField(max_length=64, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id", "number"], name="revision_number_unique"
            ),
            models.UniqueConstraint(
                fields=["author", "creation_key"], name="revision_creation_idempotent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.object_id} v{self.number} ({self.status})"
