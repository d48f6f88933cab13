"""Search state shared by every web process: the index version, synonyms and analytics."""

from django.db import models
from django.utils import timezone


class IndexState(models.Model):
    """A single row. Bumping `version` tells every process to rebuild its in-memory index."""

    version = models.PositiveBigIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"search index v{self.version}"


class SynonymGroup(models.Model):
    """Words residents use for the same thing, in any language; editable by staff."""

    terms = models.JSONField(help_text='For example ["trash", "garbage", "basura"].')
    is_active = models.BooleanField(default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return " ≈ ".join(self.terms)


class QueryStat(models.Model):
    """Weekly counters per normalised query, kept incrementally (never by counting logs)."""

    week = models.DateField(help_text="Monday of the week.")
    query = models.CharField(max_length=200)
    lang = models.CharField(max_length=8)
    searches = models.PositiveIntegerField(default=0)
    zero_results = models.PositiveIntegerField(default=0)
    clicks = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["week", "query", "lang"], name="one_stat_per_week")
        ]
        indexes = [models.Index(fields=["week", "-searches"])]

    def __str__(self) -> str:
        return f"{self.week} {self.query!r}: {self.searches}"


class ClickStat(models.Model):
    """What residents clicked for a query, with a weight that decays over time."""

    query = models.CharField(max_length=200)
    doc_key = models.CharField(max_length=64)
    weight = models.FloatField(default=0.0)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["query", "doc_key"], name="one_click_stat_per_doc")
        ]

    def __str__(self) -> str:
        return f"{self.query!r} → {self.doc_key} ({self.weight:.2f})"


class LocalInterest(models.Model):
    """How much more a neighbourhood asks for a service than the city as a whole (lift ≥ 1).
    Loaded from real request history; used to rank, never to hide anything."""

    neighbourhood = models.ForeignKey(
        "places.Neighbourhood", on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey("catalog.Service", on_delete=models.CASCADE, related_name="+")
    lift = models.FloatField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["neighbourhood", "service"], name="one_interest_per_service_and_place"
            )
        ]

    def __str__(self) -> str:
        return f"{self.neighbourhood_id}/{self.service_id}: ×{self.lift:.1f}"
