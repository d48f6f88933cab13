from django.apps import AppConfig


class AssistantConfig(AppConfig):
    name = "cityhall.assistant"
    label = "assistant"
    verbose_name = "Virtual assistant"
