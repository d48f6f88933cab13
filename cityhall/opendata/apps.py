from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "cityhall.opendata"
    label = "opendata"
    verbose_name = "Open data"
