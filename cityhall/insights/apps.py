from django.apps import AppConfig


class InsightsConfig(AppConfig):
    name = "cityhall.insights"
    label = "insights"
    verbose_name = "Insights and scorecards"
