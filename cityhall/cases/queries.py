"""Reading cases: the public timeline, and a resident's own list."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from cityhall.cases.models import Case, CaseEvent


def public_case(reference: str) -> Case:
    """Anyone with the reference sees what the city does about it; never who reported it."""
    try:
        return Case.objects.select_related("service_type", "neighbourhood", "department").get(
            reference=reference
        )
    except Case.DoesNotExist:
        raise Http404 from None


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(is_public=True).order_by("created_at", "id")


def cases_for_resident(user: Any) -> QuerySet[Case]:
    """Every case this resident filed or follows, from every channel."""
    return (
        Case.objects.filter(follows__user=user)
        .select_related("service_type")
        .distinct()
        .order_by("-created_at", "-id")
    )
