from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "cityhall.audit"
    label = "audit"
