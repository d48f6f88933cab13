"""Models of the opendata app: a record of each publication of the open datasets."""

from django.db import models


class Publication(models.Model):
    """One run of the publisher: the files it wrote (name → bytes, sha256, rows) and when."""

    published_at = models.DateTimeField()
    rows = models.PositiveIntegerField()
    files = models.JSONField(default=dict)
    trigger = models.CharField(max_length=16, help_text="worker or command")

    class Meta:
        ordering = ["-published_at", "-id"]

    def __str__(self) -> str:
        return f"open data {self.published_at:%Y-%m-%d %H:%M} ({self.rows} rows)"
