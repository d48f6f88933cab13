"""Service types residents can ask for. The full catalog (services, articles, life events)
grows on top of this."""

from django.db import models
from django.utils import translation

from cityhall.org.models import Department


class ServiceType(models.Model):
    code = models.SlugField(max_length=100, unique=True)
    name_en = models.CharField(max_length=200)
    name_es = models.CharField(max_length=200)
    group_en = models.CharField(max_length=100, blank=True)
    group_es = models.CharField(max_length=100, blank=True)
    department = models.ForeignKey(
        Department, on_delete=models.PROTECT, related_name="service_types"
    )
    sla_days = models.PositiveIntegerField(null=True, blank=True)
    source = models.CharField(max_length=32, blank=True)
    source_code = models.CharField(max_length=200, blank=True)
    descriptors = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name_en"]

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        return self.name_es if translation.get_language() == "es" else self.name_en
