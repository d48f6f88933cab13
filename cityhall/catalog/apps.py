from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "cityhall.catalog"
    label = "catalog"
