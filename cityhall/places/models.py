"""The city's own geography: neighbourhoods and the address list residents pick from."""

from django.db import models


class Neighbourhood(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    boundary = models.JSONField(help_text="GeoJSON Polygon in WGS84 (lng, lat).")
    centroid_lat = models.FloatField()
    centroid_lng = models.FloatField()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Address(models.Model):
    line = models.CharField(max_length=200)
    normalised = models.CharField(max_length=200, unique=True)
    postcode = models.CharField(max_length=16, blank=True)
    lat = models.FloatField()
    lng = models.FloatField()
    neighbourhood = models.ForeignKey(
        Neighbourhood, on_delete=models.PROTECT, null=True, related_name="addresses"
    )

    class Meta:
        ordering = ["normalised"]
        verbose_name_plural = "addresses"

    def __str__(self) -> str:
        return f"{self.line} {self.postcode}".strip()
