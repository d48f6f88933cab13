from django.apps import AppConfig


class PersonalizationConfig(AppConfig):
    name = "cityhall.personalization"
    label = "personalization"
    verbose_name = "Personal suggestions"
