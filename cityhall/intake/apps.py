from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "cityhall.intake"
    label = "intake"
    verbose_name = "SMS and email intake"
