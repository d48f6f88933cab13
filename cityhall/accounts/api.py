"""/api/v1/me: the signed-in resident's own account and household profiles."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest, HttpResponse
from ninja import Field, Router, Schema
from ninja.responses import Status

from cityhall.accounts import actions, queries
from cityhall.accounts.models import Digest, Persona, Topic

router = Router(tags=["me"])
NULLABLE_FIELDS = {"quiet_hours_start", "quiet_hours_end"}


class AddressOut(Schema):
    id: int
    label: str
    line: str
    unit: str
    postcode: str
    neighbourhood: str | None


class ProfileOut(Schema):
    id: int
    name: str
    is_primary: bool
    language: str
    personas: list[str]
    interests: list[str]
    notify_email: bool
    notify_sms: bool
    notify_in_app: bool
    sms_phone: str
    quiet_hours_start: dt.time | None
    quiet_hours_end: dt.time | None
    digest: str
    addresses: list[AddressOut]


class MeOut(Schema):
    email: str
    active_profile: int | None
    profiles: list[ProfileOut]


class ProfileIn(Schema):
    name: str = Field(..., min_length=1, max_length=80)
    language: str = "en"
    personas: list[Persona] = []
    interests: list[Topic] = []
    notify_email: bool = True
    notify_sms: bool = False
    notify_in_app: bool = True
    sms_phone: str = Field("", max_length=20)
    quiet_hours_start: dt.time | None = None
    quiet_hours_end: dt.time | None = None
    digest: Digest = Digest.IMMEDIATE


class ProfilePatch(Schema):
    name: str | None = Field(None, min_length=1, max_length=80)
    language: str | None = None
    personas: list[Persona] | None = None
    interests: list[Topic] | None = None
    notify_email: bool | None = None
    notify_sms: bool | None = None
    notify_in_app: bool | None = None
    sms_phone: str | None = Field(None, max_length=20)
    quiet_hours_start: dt.time | None = None
    quiet_hours_end: dt.time | None = None
    digest: Digest | None = None


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _profile_out(profile: Any) -> dict[str, Any]:
    return {
        "id": profile.pk,
        "name": profile.name,
        "is_primary": profile.is_primary,
        "language": profile.language,
        "personas": profile.personas,
        "interests": profile.interests,
        "notify_email": profile.notify_email,
        "notify_sms": profile.notify_sms,
        "notify_in_app": profile.notify_in_app,
        "sms_phone": profile.sms_phone,
        "quiet_hours_start": profile.quiet_hours_start,
        "quiet_hours_end": profile.quiet_hours_end,
        "digest": profile.digest,
        "addresses": [
            {
                "id": saved.pk,
                "label": saved.label,
                "line": saved.address.line,
                "unit": saved.unit,
                "postcode": saved.address.postcode,
                "neighbourhood": saved.address.neighbourhood.name
                if saved.address.neighbourhood
                else None,
            }
            for saved in profile.addresses.all()
        ],
    }


@router.get("", response=MeOut, summary="My account and household profiles")
def me(request: HttpRequest) -> dict[str, Any]:
    profiles = queries.profiles_for(request.user).prefetch_related(
        "addresses__address__neighbourhood"
    )
    active = getattr(request, "profile", None)
    return {
        "email": request.user.email,  # type: ignore[union-attr]
        "active_profile": active.pk if active else None,
        "profiles": [_profile_out(p) for p in profiles],
    }


@router.post(
    "/profiles",
    response={201: ProfileOut, 200: ProfileOut, 422: ErrorOut},
    summary="Add a household profile (send an Idempotency-Key header to retry safely)",
)
def create_profile(request: HttpRequest, payload: ProfileIn, response: HttpResponse) -> Any:
    profile, created = actions.create_profile(
        actor=request.user,  # type: ignore[arg-type]
        idempotency_key=request.headers.get("Idempotency-Key"),
        **payload.dict(),
    )
    return Status(201 if created else 200, _profile_out(profile))


@router.patch(
    "/profiles/{profile_id}",
    response={200: ProfileOut, 404: ErrorOut, 422: ErrorOut},
    summary="Change a household profile",
)
def update_profile(request: HttpRequest, profile_id: int, payload: ProfilePatch) -> Any:
    profile = queries.profile_for_owner(request.user, profile_id)
    changes = {
        key: value
        for key, value in payload.dict(exclude_unset=True).items()
        if value is not None or key in NULLABLE_FIELDS
    }
    profile = actions.update_profile(actor=request.user, profile=profile, **changes)  # type: ignore[arg-type]
    return _profile_out(profile)


@router.delete(
    "/profiles/{profile_id}",
    response={204: None, 404: ErrorOut, 422: ErrorOut},
    summary="Remove a household profile",
)
def delete_profile(request: HttpRequest, profile_id: int) -> Any:
    profile = queries.profile_for_owner(request.user, profile_id)
    actions.delete_profile(actor=request.user, profile=profile)  # type: ignore[arg-type]
    return Status(204, None)


@router.get("/export", summary="Everything held about me, as JSON")
def export(request: HttpRequest) -> dict[str, Any]:
    return queries.export_personal_data(request.user)
