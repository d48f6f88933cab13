from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "cityhall.accounts"
    label = "accounts"
