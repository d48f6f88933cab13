from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "cityhall.places"
    label = "places"
