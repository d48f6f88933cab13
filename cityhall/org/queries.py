"""Who a staff member is and what their roles allow. Every permission gate lives here."""

from __future__ import annotations

from typing import Any

from cityhall.org.models import AUDIT_ROLES, RESIDENT_DATA_ROLES, Role, StaffMembership


def roles_of(user: Any) -> set[str]:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    cached = getattr(user, "_staff_roles_cache", None)
    if cached is None:
        cached = set(StaffMembership.objects.filter(user=user).values_list("role", flat=True))
        user._staff_roles_cache = cached
    return cached


def departments_of(user: Any) -> list[int]:
    return list(
        StaffMembership.objects.filter(user=user, department__isnull=False).values_list(
            "department_id", flat=True
        )
    )


def is_staff_member(user: Any) -> bool:
    return bool(roles_of(user))


def can_view_resident_data(user: Any) -> bool:
    return bool(roles_of(user) & RESIDENT_DATA_ROLES)


def can_read_audit(user: Any) -> bool:
    return bool(roles_of(user) & AUDIT_ROLES)


def is_city_admin(user: Any) -> bool:
    return Role.CITY_ADMIN in roles_of(user)


def has_mfa(user: Any) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()
