"""Writes about staff: roles are granted and revoked here, each with an audit row."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from cityhall.audit.actions import record_write
from cityhall.org.models import CITY_WIDE_ROLES, Department, Role, StaffMembership


@transaction.atomic
def grant_role(
    *, actor: Any, user: Any, role: Role, department: Department | None = None
) -> StaffMembership:
    if role in CITY_WIDE_ROLES:
        department = None
    elif department is None:
        raise ValidationError({"department": ["This role belongs to a department."]})
    membership, created = StaffMembership.objects.get_or_create(
        user=user, role=role, department=department
    )
    if created:
        where = department.code if department else "city-wide"
        record_write(
            actor=actor,
            action="staff.role_granted",
            summary=f"Granted {role.label} ({where}) to {user.email}",
            obj=membership,
        )
    return membership


@transaction.atomic
def revoke_role(*, actor: Any, membership: StaffMembership) -> None:
    record_write(
        actor=actor,
        action="staff.role_revoked",
        summary=f"Revoked {membership.get_role_display()} from {membership.user.email}",
        obj=membership,
    )
    membership.delete()


@transaction.atomic
def load_departments(*, actor: Any, items: list[dict[str, Any]]) -> int:
    """Create or refresh departments from reference data (demo city, catalog content).
    Returns how many were new; running it again changes nothing."""
    created = 0
    for item in items:
        _, new = Department.objects.update_or_create(
            code=item["code"],
            defaults={
                "name_en": item["name_en"],
                "name_es": item["name_es"],
                "summary_en": item.get("summary_en", "")[:300],
                "summary_es": item.get("summary_es", "")[:300],
            },
        )
        created += int(new)
    if created:
        record_write(
            actor=actor, action="org.departments_loaded", summary=f"{created} departments added"
        )
    return created
