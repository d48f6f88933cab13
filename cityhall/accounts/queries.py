"""Reads about residents, and the gates that decide who may make them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from cityhall.accounts.consent import CONSENT_TEXTS
from cityhall.accounts.models import (
    ConsentPurpose,
    ConsentRecord,
    DeletionRequest,
    DeletionStatus,
    Profile,
    User,
)
from cityhall.audit.actions import record_read
from cityhall.audit.models import AuditEvent, AuditKind
from cityhall.org import queries as org_queries


def profiles_for(user: Any) -> QuerySet[Profile]:
    return Profile.objects.filter(account=user).order_by("-is_primary", "created_at", "id")


def profile_for_owner(user: Any, profile_id: int) -> Profile:
    """A profile of the signed-in account; any other id is simply not found."""
    try:
        return profiles_for(user).get(pk=profile_id)
    except (Profile.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


@dataclass(frozen=True)
class ConsentState:
    purpose: str
    label: str
    text: str
    version: str
    granted: bool
    decided_at: Any


def current_consents(user: Any) -> list[ConsentState]:
    latest: dict[str, ConsentRecord] = {}
    for row in ConsentRecord.objects.filter(account=user).order_by("created_at", "id"):
        latest[row.purpose] = row
    states = []
    for purpose in ConsentPurpose:
        version, text = CONSENT_TEXTS[purpose]
        record: ConsentRecord | None = latest.get(purpose.value)
        states.append(
            ConsentState(
                purpose=purpose.value,
                label=str(purpose.label),
                text=str(text),
                version=version,
                granted=bool(record and record.granted),
                decided_at=record.created_at if record else None,
            )
        )
    return states


def has_consent(user: Any, purpose: ConsentPurpose) -> bool:
    record = (
        ConsentRecord.objects.filter(account=user, purpose=purpose)
        .order_by("-created_at", "-id")
        .first()
    )
    return bool(record and record.granted)


def pending_deletion(user: Any) -> DeletionRequest | None:
    return DeletionRequest.objects.filter(account=user, status=DeletionStatus.PENDING).first()


def access_history(user: Any) -> QuerySet[AuditEvent]:
    """Who at the city looked at this resident's data, newest first."""
    return AuditEvent.objects.filter(subject=user, kind=AuditKind.READ).order_by(
        "-created_at", "-id"
    )


def export_personal_data(user: Any) -> dict[str, Any]:
    """Everything held about the account, as plain JSON-ready data."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.usersessions.models import UserSession

    profiles = []
    for profile in profiles_for(user).prefetch_related("addresses__address__neighbourhood"):
        profiles.append(
            {
                "id": profile.pk,
                "name": profile.name,
                "is_primary": profile.is_primary,
                "personas": profile.personas,
                "language": profile.language,
                "interests": profile.interests,
                "notifications": {
                    "email": profile.notify_email,
                    "sms": profile.notify_sms,
                    "in_app": profile.notify_in_app,
                    "sms_phone": profile.sms_phone,
                    "quiet_hours_start": _time(profile.quiet_hours_start),
                    "quiet_hours_end": _time(profile.quiet_hours_end),
                    "digest": profile.digest,
                },
                "addresses": [
                    {
                        "label": saved.label,
                        "line": saved.address.line,
                        "unit": saved.unit,
                        "postcode": saved.address.postcode,
                        "lat": saved.address.lat,
                        "lng": saved.address.lng,
                        "neighbourhood": saved.address.neighbourhood.name
                        if saved.address.neighbourhood
                        else None,
                    }
                    for saved in profile.addresses.all()
                ],
                "created_at": profile.created_at.isoformat(),
            }
        )
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
            "email_addresses": [
                {"email": e.email, "verified": e.verified, "primary": e.primary}
                for e in EmailAddress.objects.filter(user=user)
            ],
            "second_factors": [
                {"type": a.type, "created_at": a.created_at.isoformat()}
                for a in Authenticator.objects.filter(user=user)
            ],
        },
        "profiles": profiles,
        "consents": [
            {
                "purpose": c.purpose,
                "granted": c.granted,
                "text_version": c.text_version,
                "at": c.created_at.isoformat(),
            }
            for c in ConsentRecord.objects.filter(account=user).order_by("created_at", "id")
        ],
        "sessions": [
            {
                "ip": s.ip,
                "user_agent": s.user_agent,
                "created_at": s.created_at.isoformat(),
                "last_seen_at": s.last_seen_at.isoformat() if s.last_seen_at else None,
            }
            for s in UserSession.objects.filter(user=user)
        ],
        "access_history": [
            {"at": e.created_at.isoformat(), "by": e.actor_label, "what": e.summary}
            for e in access_history(user)
        ],
        "deletion_requests": [
            {
                "status": d.status,
                "requested_at": d.requested_at.isoformat(),
                "scheduled_for": d.scheduled_for.isoformat(),
            }
            for d in DeletionRequest.objects.filter(account=user)
        ],
    }


def _time(value: Any) -> str | None:
    return value.strftime("%H:%M") if value else None


# --- Staff reads ---------------------------------------------------------------------------


def residents_for_staff(viewer: Any, query: str) -> list[User]:
    """Staff search by email. The list shows email addresses, so each search is audited."""
    if not org_queries.can_view_resident_data(viewer):
        raise Http404
    query = query.strip().lower()
    if len(query) < 3:
        return []
    found = list(
        User.objects.filter(
            email__icontains=query, staff_memberships__isnull=True, anonymised_at__isnull=True
        ).order_by("email")[:25]
    )
    record_read(
        actor=viewer,
        action="resident.searched",
        summary=f"Searched residents by email ({len(found)} shown)",
        detail={"query": query[:100], "shown": [u.pk for u in found]},
    )
    return found


@dataclass(frozen=True)
class StaffView:
    resident: User
    shares_details: bool  # the resident agreed to share their details across departments


def resident_record_for_staff(viewer: Any, resident_id: int) -> StaffView:
    """Open one resident's record. Allowed roles only; profile details, phone and addresses
    only with the resident's sharing consent; every opening is audited with what was shown."""
    if not org_queries.can_view_resident_data(viewer):
        raise Http404
    try:
        resident = User.objects.get(pk=resident_id, staff_memberships__isnull=True)
    except (User.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404 from None
    shares = has_consent(resident, ConsentPurpose.SHARING)
    record_read(
        actor=viewer,
        action="resident.record_viewed",
        summary="Viewed the single view of the resident (profiles, contacts, addresses, requests, "
        "messages, connected services, changes passed on)"
        if shares
        else "Viewed the resident record (email only: no sharing consent)",
        subject=resident,
        obj=resident,
        detail={"shared_details": shares},
    )
    return StaffView(resident=resident, shares_details=shares)
