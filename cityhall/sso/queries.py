"""Reads for single sign-on and connected services."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from cityhall.accounts.models import Profile, SavedAddress
from cityhall.core.phones import normalise_phone
from cityhall.sso.models import (
    ChangeKind,
    ConnectedService,
    ConsentGrant,
    SharedField,
    WebhookDelivery,
)


def primary_profile(user: Any) -> Profile | None:
    return Profile.objects.filter(account=user, is_primary=True).first()


def phone_of(user: Any) -> str:
    """The account's phone (verified or not: the claim says which), else the primary
    profile's texting number."""
    if getattr(user, "phone", ""):
        return str(user.phone)
    profile = primary_profile(user)
    return normalise_phone(profile.sms_phone) if profile and profile.sms_phone else ""


def home_address(user: Any) -> SavedAddress | None:
    return (
        SavedAddress.objects.filter(profile__account=user, profile__is_primary=True)
        .select_related("address")
        .order_by("id")
        .first()
    )


def home_address_claim(user: Any) -> dict[str, str] | None:
    """The OpenID Connect `address` claim (a structured postal address)."""
    from django.conf import settings

    saved = home_address(user)
    if saved is None:
        return None
    street = saved.address.line + (f", {saved.unit}" if saved.unit else "")
    return {
        "formatted": f"{street}\n{settings.CITY_NAME} {saved.address.postcode}".strip(),
        "street_address": street,
        "locality": settings.CITY_NAME,
        "postal_code": saved.address.postcode,
        "country": "US",
    }


def personas_of(user: Any) -> list[str]:
    found: set[str] = set()
    for personas in Profile.objects.filter(account=user).values_list("personas", flat=True):
        found.update(personas or [])
    return sorted(found)


def services_to_tell(user: Any, kind: str) -> QuerySet[ConnectedService]:
    """Services that may hear about this kind of change: active, with a webhook, granted the
    field, and connected to this resident (they signed in to it and agreed to share)."""
    from cityhall.sso.models import FIELD_FOR_CHANGE

    field = FIELD_FOR_CHANGE[ChangeKind(kind)]
    connected = ConsentGrant.objects.filter(user=user).values("client_id")
    return (
        ConnectedService.objects.filter(is_active=True, client_id__in=connected)
        .exclude(webhook_url="")
        .filter(allowed_fields__icontains=f'"{field}"')
        .order_by("name")
    )


def connections(user: Any) -> list[dict[str, Any]]:
    """What the resident shares with whom, for their "Connected services" page."""
    grants = ConsentGrant.objects.filter(user=user).select_related("client")
    services = {
        s.client_id: s
        for s in ConnectedService.objects.filter(client_id__in=[g.client_id for g in grants])
    }
    return [
        {
            "client_id": grant.client_id,
            "name": services[grant.client_id].name
            if grant.client_id in services
            else grant.client.name,
            "scopes": grant.scopes,
            "granted_at": grant.granted_at,
            "service": services.get(grant.client_id),
        }
        for grant in grants.order_by("-granted_at")
    ]


def deliveries_for(user: Any) -> QuerySet[WebhookDelivery]:
    return WebhookDelivery.objects.filter(notice__user=user).select_related("service", "notice")


def payload_for(user: Any, kind: str, data: dict[str, Any], allowed: list[str]) -> dict[str, Any]:
    """Only what the service was granted: never a field it may not receive."""
    from cityhall.sso.models import FIELD_FOR_CHANGE

    field = FIELD_FOR_CHANGE[ChangeKind(kind)]
    if field not in allowed:
        return {}
    body: dict[str, Any] = {"type": f"resident.{kind}", "subject": str(user.pk)}
    if field == SharedField.LIFE_EVENTS:
        body["event"] = {k: v for k, v in data.items() if k in ("date", "relationship")}
    else:
        body[str(field)] = data.get(str(field))
    return body


def single_view(resident: Any) -> dict[str, Any]:
    """The resident's whole picture for staff: call only after the role and sharing-consent
    gate (`accounts.queries.resident_record_for_staff`), which writes the audit row."""
    from cityhall.cases.queries import cases_for_resident
    from cityhall.notifications.models import Message
    from cityhall.sso.models import ChangeNotice

    return {
        "cases": list(cases_for_resident(resident)[:20]),
        "notifications": list(Message.objects.filter(user=resident).order_by("-created_at")[:20]),
        "connections": connections(resident),
        "changes": list(
            ChangeNotice.objects.filter(user=resident).prefetch_related("deliveries__service")[:20]
        ),
    }
