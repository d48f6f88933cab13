from django.apps import AppConfig


class DemoConfig(AppConfig):
    name = "cityhall.demo"
    label = "demo"
