from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cityhall.cases"
    label = "cases"
