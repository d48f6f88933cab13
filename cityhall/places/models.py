"""The city's own geography: neighbourhoods and the address list residents pick from."""

from django.db import models
from django.utils.translation import gettext_lazy as _


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


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class CollectionSchedule(models.Model):
    """Which weekday trash and recycling are collected in a neighbourhood. Recycling every
    other week is anchored on a date it was collected; a city holiday on or before the
    collection day in that week moves collection one day later."""

    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.CASCADE, related_name="collection"
    )
    trash_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    recycling_weekday = models.PositiveSmallIntegerField(choices=Weekday.choices)
    recycling_every_other_week = models.BooleanField(default=False)
    recycling_anchor = models.DateField(
        null=True, blank=True, help_text="A date recycling was collected (every-other-week only)."
    )

    class Meta:
        ordering = ["neighbourhood__name"]

    def __str__(self) -> str:
        return f"{self.neighbourhood}: {self.get_trash_weekday_display()}"
