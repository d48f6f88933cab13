"""How the city's OpenID Connect provider describes a resident to connected services."""

from __future__ import annotations

from typing import Any

from allauth.idp.oidc.adapter import DefaultOIDCAdapter
from allauth.idp.oidc.models import PrivateKey
from django.utils.translation import gettext_lazy as _

from cityhall.sso import keys

EXTRA_SCOPES = ("phone", "address", "personas")
CLAIMS = (
    "sub", "email", "email_verified", "name", "given_name", "family_name", "phone_number",
    "phone_number_verified", "address", "personas", "acr", "amr", "auth_time",
)  # fmt: skip


class CityOIDCAdapter(DefaultOIDCAdapter):
    scope_display = {
        "openid": _("Know that it is you"),
        "profile": _("Your name"),
        "email": _("Your email address"),
        "phone": _("Your mobile number"),
        "address": _("Your home address"),
        "personas": _("How you describe yourself (for example: parent, business owner)"),
    }

    def get_issuer(self) -> str:
        from cityhall.notifications.queries import public_base_url

        return public_base_url()

    def list_private_keys(
        self, *, did_activate: Any = None, is_active: Any = None
    ) -> list[PrivateKey]:
        from allauth.idp.oidc.internal.private_keys import filter_keys

        found = [PrivateKey(**entry) for entry in keys.key_entries()]  # type: ignore[arg-type]
        return filter_keys(found, did_activate=did_activate, is_active=is_active)

    def get_claims(
        self,
        purpose: Any,
        user: Any,
        client: Any,
        scopes: Any,
        email: str | None = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        from cityhall.sso import queries

        claims = super().get_claims(purpose, user, client, scopes, email=email, **kwargs)
        scopes = set(scopes)
        if "profile" in scopes and "name" not in claims:
            profile = queries.primary_profile(user)
            if profile is not None and profile.name:
                claims["name"] = profile.name
        if "phone" in scopes:
            phone = queries.phone_of(user)
            if phone:
                claims["phone_number"] = phone
                claims["phone_number_verified"] = bool(user.phone_verified_at)
        if "address" in scopes:
            address = queries.home_address_claim(user)
            if address:
                claims["address"] = address
        if "personas" in scopes:
            claims["personas"] = queries.personas_of(user)
        return claims

    def populate_id_token(self, id_token: dict[str, Any], client: Any, scopes: Any,
                          **kwargs: Any) -> None:  # fmt: skip
        """How the resident signed in (MFA carries over): recorded when they authorised this
        service, so refreshed tokens say the same."""
        from cityhall.sso.actions import signin_for_code
        from cityhall.sso.models import SignInContext

        post = getattr(getattr(self, "request", None), "POST", {})
        found = None
        if post.get("grant_type") == "authorization_code":
            found = signin_for_code(post.get("code", ""))
        if found is None:
            sub = str(id_token.get("sub") or "")
            context = (
                SignInContext.objects.filter(user_id=int(sub), client_id=client.pk).first()
                if sub.isdigit()
                else None
            )
            if context is not None:
                found = {"acr": context.acr, "amr": context.amr, "auth_time": context.auth_time}
        if found:
            id_token["acr"] = found["acr"]
            id_token["amr"] = found["amr"]
            if found.get("auth_time"):
                id_token["auth_time"] = found["auth_time"]

    def populate_server_metadata(self, data: dict[str, Any]) -> None:
        data["scopes_supported"] = sorted({*data.get("scopes_supported", []), *EXTRA_SCOPES})
        data["claims_supported"] = list(CLAIMS)
        data["acr_values_supported"] = ["1", "mfa"]
