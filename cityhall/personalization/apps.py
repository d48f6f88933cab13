from django.apps import AppConfig


class PersonalizationConfig(AppConfig):
    name = "cityhall.personalization"
    label = "personalization"
    verbose_name = "Personal suggestions"

    def ready(self) -> None:
        from cityhall.personalization import admin  # noqa: F401  (city admin registration)
