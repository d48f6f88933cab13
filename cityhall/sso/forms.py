from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from cityhall.sso import queries
from cityhall.sso.models import ChangeKind


class TellServicesForm(forms.Form):
    """Which services to tell about a change (the change itself is what the account already
    holds: the new address or number is saved first, in the account)."""

    services = forms.MultipleChoiceField(
        label=_("Tell these services"), widget=forms.CheckboxSelectMultiple, required=True,
        error_messages={"required": _("Choose at least one service to tell.")},
    )  # fmt: skip
    date = forms.DateField(
        label=_("When did it happen?"), required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )  # fmt: skip

    def __init__(self, *args: Any, services: list[Any], kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["services"].choices = [(str(s.pk), s.name) for s in services]  # type: ignore[attr-defined]
        if kind not in (ChangeKind.BIRTH, ChangeKind.DEATH, ChangeKind.MOVED_AWAY):
            del self.fields["date"]

    def change_data(self, user: Any) -> dict[str, Any]:
        """What the account now says, for this kind of change."""
        if self.kind == ChangeKind.ADDRESS:
            return {"address": queries.home_address_claim(user)}
        if self.kind == ChangeKind.NAME:
            profile = queries.primary_profile(user)
            return {"name": profile.name if profile else ""}
        if self.kind == ChangeKind.PHONE:
            return {"phone": queries.phone_of(user)}
        if self.kind == ChangeKind.EMAIL:
            return {"email": user.email}
        when = self.cleaned_data.get("date")
        return {"date": when.isoformat() if when else None}
