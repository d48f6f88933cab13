from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "cityhall.org"
    label = "org"
