from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from django.http import HttpRequest

from cityhall.accounts import actions


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request: HttpRequest, user: Any, form: Any, commit: bool = True) -> Any:
        user = super().save_user(request, user, form, commit=commit)
        if commit:
            actions.create_primary_profile(actor=user)
        return user
