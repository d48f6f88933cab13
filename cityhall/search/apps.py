from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "cityhall.search"
    label = "search"
