"""Reading cases: the public timeline, a resident's own list, and the staff queues.
Every permission gate on cases lives here."""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from cityhall.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseStatus,
    ResolutionTime,
    ResponseTemplate,
    SavedView,
)
from cityhall.org.models import Role, StaffMembership

# Roles that work cases. Auditors read the audit log, not queues.
CASE_ROLES = frozenset(
    {Role.AGENT, Role.CASEWORKER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN}
)
SUPERVISING_ROLES = frozenset({Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})
QUEUE_PAGE_SIZE = 50


def public_case(reference: str) -> Case:
    """Anyone with the reference sees what the city does about it; never who reported it."""
    try:
        return Case.objects.select_related(
            "service_type", "neighbourhood", "department", "merged_into"
        ).get(reference=reference)
    except Case.DoesNotExist:
        raise Http404 from None


def public_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.filter(is_public=True).order_by("created_at", "id")


def cases_for_resident(user: Any) -> QuerySet[Case]:
    """Every case this resident filed or follows, from every channel."""
    return (
        Case.objects.filter(Q(follows__user=user) | Q(requester=user))
        .select_related("service_type")
        .distinct()
        .order_by("-created_at", "-id")
    )


def is_following(user: Any, case: Case) -> bool:
    return bool(user.is_authenticated) and case.follows.filter(user=user).exists()


def can_reopen(user: Any, case: Case, now: dt.datetime | None = None) -> bool:
    """The requester or a follower, within CASE_REOPEN_DAYS of the case being closed."""
    if not user.is_authenticated or case.status not in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        return False
    if case.closed_at is None or case.merged_into_id:
        return False
    limit = case.closed_at + dt.timedelta(days=settings.CASE_REOPEN_DAYS)
    if (now or timezone.now()) > limit:
        return False
    return case.requester_id == user.pk or is_following(user, case)


def can_rate(user: Any, case: Case) -> bool:
    return (
        user.is_authenticated
        and case.requester_id == user.pk
        and case.status in (CaseStatus.RESOLVED, CaseStatus.CLOSED)
        and case.satisfaction is None
    )


@dataclass
class Expectation:
    """When a case will likely be done, and how sure we are (which percentile of past cases)."""

    date: dt.date
    percentile: int
    sample_size: int
    local: bool


def expected_resolution(case: Case) -> Expectation | None:
    if case.expected_by is None or case.expected_quantile is None:
        return None
    row = (
        ResolutionTime.objects.filter(service_type_id=case.service_type_id)
        .filter(Q(neighbourhood_id=case.neighbourhood_id) | Q(neighbourhood__isnull=True))
        .order_by("neighbourhood_id")
        .values("neighbourhood_id", "sample_size")
        .first()
    )
    return Expectation(
        date=case.expected_by,
        percentile=case.expected_quantile,
        sample_size=row["sample_size"] if row else 0,
        local=bool(row and row["neighbourhood_id"]),
    )


# --- Staff -----------------------------------------------------------------------------------


def case_roles(user: Any) -> dict[int | None, set[str]]:
    """Department id (None for city-wide) → the case-working roles held there."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return {}
    cached = getattr(user, "_case_roles_cache", None)
    if cached is None:
        cached = {}
        for department_id, role in StaffMembership.objects.filter(
            user=user, role__in=CASE_ROLES
        ).values_list("department_id", "role"):
            cached.setdefault(department_id, set()).add(role)
        user._case_roles_cache = cached
    return cached


def works_cases(user: Any) -> bool:
    return bool(case_roles(user))


def is_city_wide(user: Any) -> bool:
    return Role.CITY_ADMIN in case_roles(user).get(None, set())


def workable_department_ids(user: Any) -> list[int] | None:
    """The departments whose queues this person works; None means every department."""
    if is_city_wide(user):
        return None
    return [d for d in case_roles(user) if d is not None]


def can_work_case(user: Any, case: Case) -> bool:
    departments = workable_department_ids(user)
    if departments is None:
        return works_cases(user)
    return case.department_id in departments


def can_supervise_case(user: Any, case: Case) -> bool:
    """Merging needs a supervisor or admin of the case's department."""
    roles = case_roles(user)
    return bool(roles.get(None, set()) & SUPERVISING_ROLES) or bool(
        roles.get(case.department_id, set()) & SUPERVISING_ROLES
    )


def case_for_staff(user: Any, reference: str) -> Case:
    """A case this staff member may work; anything else is a 404 (no existence leak)."""
    case = (
        Case.objects.select_related(
            "service_type", "department", "team", "assignee", "neighbourhood", "merged_into"
        )
        .filter(reference=reference)
        .first()
    )
    if case is None or not can_work_case(user, case):
        raise Http404
    return case


def staff_timeline(case: Case) -> QuerySet[CaseEvent]:
    return case.events.select_related("actor").order_by("created_at", "id")


@dataclass
class QueueFilters:
    department: int | None = None
    team: int | None = None
    status: str = "open"  # "open", "all", or one CaseStatus
    service_type: int | None = None
    neighbourhood: int | None = None
    assignee: str = ""  # "", "me", "none"
    overdue: bool = False
    q: str = ""
    box: tuple[float, float, float, float] | None = None  # south, west, north, east


@dataclass
class QueuePage:
    cases: list[Case]
    page: int
    has_next: bool
    filters: QueueFilters
    departments: list[Any] = field(default_factory=list)


def queue(user: Any, filters: QueueFilters, *, page: int = 1, now: Any = None) -> QueuePage:
    """One page of a staff queue: most urgent first (overdue, then due soonest). Fetches one
    row more than it shows instead of counting, so the cost does not grow with the backlog."""
    departments = workable_department_ids(user)
    cases = Case.objects.all()
    if departments is not None:
        cases = cases.filter(department_id__in=departments)
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    if filters.team:
        cases = cases.filter(team_id=filters.team)
    if filters.status == "open":
        cases = cases.filter(is_open=True)
    elif filters.status in CaseStatus.values:
        cases = cases.filter(status=filters.status)
    if filters.service_type:
        cases = cases.filter(service_type_id=filters.service_type)
    if filters.neighbourhood:
        cases = cases.filter(neighbourhood_id=filters.neighbourhood)
    if filters.assignee == "me":
        cases = cases.filter(assignee=user)
    elif filters.assignee == "none":
        cases = cases.filter(assignee__isnull=True)
    if filters.overdue:
        cases = cases.filter(is_open=True, no_deadline=0, due_at__lt=now or timezone.now())
    if filters.q:
        cases = cases.filter(reference__startswith=filters.q.strip())
    if filters.box:
        south, west, north, east = filters.box
        cases = cases.filter(lat__range=(south, north), lng__range=(west, east))
    page = max(1, min(page, 1000))
    start = (page - 1) * QUEUE_PAGE_SIZE
    rows = list(
        cases.select_related("service_type", "neighbourhood", "assignee", "team", "department")
        .only(
            "reference",
            "status",
            "due_at",
            "created_at",
            "escalated_at",
            "address_text",
            "department__name_en",
            "department__name_es",
            "service_type__name_en",
            "service_type__name_es",
            "neighbourhood__name",
            "assignee__email",
            "assignee__first_name",
            "assignee__last_name",
            "team__name",
        )  # fmt: skip
        .order_by("no_deadline", "due_at", "created_at", "id")[start : start + QUEUE_PAGE_SIZE + 1]
    )
    return QueuePage(
        cases=rows[:QUEUE_PAGE_SIZE],
        page=page,
        has_next=len(rows) > QUEUE_PAGE_SIZE,
        filters=filters,
    )


def sla_state(case: Case, now: dt.datetime) -> str:
    """ "overdue", "due-soon" (within a day) or "" for the queue badges."""
    if case.due_at is None or case.status not in OPEN_STATUSES:
        return ""
    if case.due_at < now:
        return "overdue"
    if case.due_at - now < dt.timedelta(days=1):
        return "due-soon"
    return ""


def saved_views(user: Any) -> QuerySet[SavedView]:
    return SavedView.objects.filter(user=user)


def response_templates(case: Case) -> QuerySet[ResponseTemplate]:
    return ResponseTemplate.objects.filter(
        Q(department__isnull=True) | Q(department_id=case.department_id)
    )


def colleagues(case: Case) -> list[Any]:
    """People who can be assigned a case: case-working staff of its department."""
    from cityhall.accounts.models import User

    if case.department_id is None:
        return []
    return list(
        User.objects.filter(
            staff_memberships__department_id=case.department_id,
            staff_memberships__role__in=CASE_ROLES,
            is_active=True,
        )
        .distinct()
        .order_by("email")
    )


def nearby_open_cases(
    service_type_id: int, lat: float, lng: float, *, radius_m: float = 250, limit: int = 5
) -> list[Case]:
    """Open cases of the same type close to a point: "is this it? follow it instead"."""
    dlat = radius_m / 111_320
    dlng = radius_m / (111_320 * max(math.cos(math.radians(lat)), 0.01))
    candidates = Case.objects.filter(
        service_type_id=service_type_id,
        is_open=True,
        merged_into__isnull=True,
        lat__range=(lat - dlat, lat + dlat),
        lng__range=(lng - dlng, lng + dlng),
    ).order_by("-created_at")[:50]

    def distance(case: Case) -> float:
        assert case.lat is not None and case.lng is not None
        return math.hypot(
            (case.lat - lat) * 111_320, (case.lng - lng) * 111_320 * math.cos(math.radians(lat))
        )

    near = [c for c in candidates if distance(c) <= radius_m]
    return sorted(near, key=distance)[:limit]


@dataclass(frozen=True)
class Contact:
    name: str
    email: str
    phone: str
    has_account: bool


def contact_for_staff(user: Any, case: Case) -> Contact | None:
    """Who to call back. Shown to staff working the case; each showing is audited."""
    from cityhall.audit.actions import record_read

    if not can_work_case(user, case):
        return None
    if not (case.contact_email or case.contact_phone or case.contact_name):
        return None
    record_read(
        actor=user,
        action="case.contact_viewed",
        summary=f"Viewed contact details on case {case.reference}",
        subject=case.requester,
        obj=case,
        case_reference=case.reference or "",
    )
    return Contact(
        name=case.contact_name,
        email=case.contact_email,
        phone=case.contact_phone,
        has_account=case.requester_id is not None,
    )


def find_caller(user: Any, text: str) -> Any:
    """A phone agent looks up the caller by exact email or verified phone (audited)."""
    from cityhall.accounts.models import User
    from cityhall.audit.actions import record_read
    from cityhall.core.phones import normalise_phone

    if not works_cases(user):
        raise Http404
    text = text.strip()
    if "@" in text:
        caller = User.objects.filter(
            email__iexact=text, staff_memberships__isnull=True, anonymised_at__isnull=True
        ).first()
    else:
        phone = normalise_phone(text)
        caller = (
            User.objects.filter(
                phone=phone,
                phone_verified_at__isnull=False,
                staff_memberships__isnull=True,
                anonymised_at__isnull=True,
            ).first()
            if phone
            else None
        )
    record_read(
        actor=user,
        action="resident.caller_lookup",
        summary="Looked up a caller" + (" (found)" if caller else " (not found)"),
        subject=caller,
    )
    return caller


def caller_for_staff(user: Any, caller_id: int | None) -> Any:
    """The resident a phone agent files for, re-checked on submit: a hidden field can be
    edited, so only an active resident account is accepted (and the use is audited)."""
    from cityhall.accounts.models import User
    from cityhall.audit.actions import record_read

    if caller_id is None:
        return None
    if not works_cases(user):
        raise Http404
    caller = User.objects.filter(
        pk=caller_id, is_active=True, staff_memberships__isnull=True, anonymised_at__isnull=True
    ).first()
    if caller is None:
        return None
    record_read(
        actor=user,
        action="resident.caller_filed_for",
        summary="Filed a request on a caller's behalf",
        subject=caller,
    )
    return caller
