"""Every write to cases: submission from any channel, routing, and the timeline."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.validators import URLValidator, validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.audit.actions import record_write
from cityhall.cases import queries
from cityhall.cases.calendar import deadline_for
from cityhall.cases.models import (
    OPEN_STATUSES,
    Case,
    CaseEvent,
    CaseFollow,
    CasePhoto,
    CaseStatus,
    Channel,
    EventKind,
    ResolutionTime,
    ResponseTemplate,
    RoutingRule,
    SavedView,
)
from cityhall.cases.photos import PreparedPhoto, prepare_photo
from cityhall.catalog.models import ServiceType
from cityhall.core.phones import normalise_phone
from cityhall.core.tasks import enqueue_with_transaction
from cityhall.core.text import clean
from cityhall.notifications.actions import notify_case_event
from cityhall.org.models import Department, Team
from cityhall.places.queries import find_address, neighbourhood_for_point

MAX_DESCRIPTION = 4000
# Channels where a staff member files: they are the actor, never the requester.
STAFF_CHANNELS = (Channel.PHONE, Channel.INTERNAL)


def _locate(
    address_text: str, lat: float | None, lng: float | None, errors: dict[str, list[str]]
) -> dict[str, Any]:
    """A case needs a place in the city: an address from the list, or a point inside it."""
    if address_text:
        address = find_address(address_text)
        if address is None:
            errors["address"] = [
                _("We couldn't find that address in the city's list. Check it, or drop a pin.")
            ]
            return {}
        return {
            "address": address,
            "address_text": address.line,
            "lat": address.lat,
            "lng": address.lng,
            "neighbourhood": address.neighbourhood,
        }
    if lat is None or lng is None:
        errors["address"] = [_("Tell us where: an address, or a pin on the map.")]
        return {}
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        errors["address"] = [_("Those coordinates are not a real place.")]
        return {}
    neighbourhood = neighbourhood_for_point(lat, lng)
    if neighbourhood is None:
        errors["address"] = [_("That place is outside the city. Check the pin.")]
        return {}
    return {"lat": lat, "lng": lng, "neighbourhood": neighbourhood, "address_text": ""}


def _account_for_email(email: str) -> Any:
    """A contact is matched to a resident's account only by a verified address."""
    from allauth.account.models import EmailAddress

    match = (
        EmailAddress.objects.filter(email__iexact=email, verified=True)
        .select_related("user")
        .first()
    )
    return match.user if match and match.user.is_active else None


def _checked_answers(
    service_type: ServiceType, answers: dict[str, str], errors: dict[str, list[str]]
) -> dict[str, str]:
    """Answers must be to this type's questions, from their choices, and the required ones
    given: the web form checks this too, but Open311 partners post attributes directly."""
    questions = {q.get("code", ""): q for q in service_type.report_questions}
    answered: dict[str, str] = {}
    for code, value in answers.items():
        value = clean(value)[:200]
        question = questions.get(code)
        if question is None:
            errors.setdefault("answers", []).append(
                _("%(code)s is not a question for this type.") % {"code": code}
            )
            continue
        keys = {c.get("key") for c in question.get("choices") or []}
        if value and keys and value not in keys:
            errors.setdefault("answers", []).append(
                _("%(value)s is not one of the choices for %(code)s.")
                % {"value": value, "code": code}
            )
            continue
        if value:
            answered[code] = value
    for code, question in questions.items():
        if question.get("required") and code not in answered:
            errors.setdefault("answers", []).append(
                _("Answer the question “%(code)s”.") % {"code": code}
            )
    return answered


def _account_for_phone(phone: str) -> Any:
    """Like email: only a phone number the resident has verified links a contact to them."""
    from cityhall.accounts.models import User

    return (
        User.objects.filter(phone=phone, phone_verified_at__isnull=False, is_active=True)
        .order_by("pk")
        .first()
    )


def submit_case(
    *,
    actor: Any,
    service_code: str,
    description: str,
    channel: str,
    address_text: str = "",
    lat: float | None = None,
    lng: float | None = None,
    contact_email: str = "",
    contact_phone: str = "",
    contact_name: str = "",
    answers: dict[str, str] | None = None,
    on_behalf_of: Any = None,
    photos: list[Any] | None = None,
    media_url: str = "",
    idempotency_key: str | None = None,
    idempotency_scope: str = "",
) -> tuple[Case, bool]:
    """File a case from any channel. Returns (case, created); a retry with the same key
    returns the first case. Routing happens in the worker after commit."""
    from cityhall.cases.tasks import route_case_task

    # Keys are the client's own: scoped by channel and caller so two apps (or two people)
    # that both send "1" never get each other's case back.
    raw_key = (idempotency_key or "").strip()[:200]
    key = (
        hashlib.sha256(f"{channel}:{idempotency_scope}:{raw_key}".encode()).hexdigest()
        if raw_key
        else None
    )
    if key:
        previous = Case.objects.filter(creation_key=key).first()
        if previous:
            return previous, False
    errors: dict[str, list[str]] = {}
    service_type = ServiceType.objects.filter(code=service_code).first()
    if service_type is None:
        errors["service_code"] = [_("Choose what you are reporting from the list.")]
    description = clean(description)
    if not description:
        errors["description"] = [_("Describe the problem in a few words.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("Use 4,000 characters or fewer.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    contact_email = clean(contact_email)
    if contact_email:
        try:
            validate_email(contact_email)
            if len(contact_email) > 254:
                raise ValidationError("too long")
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address, or leave it empty.")]
    if service_type is not None:
        answers = _checked_answers(service_type, answers or {}, errors)
    media_url = (media_url or "").strip()
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
            if len(media_url) > 500:
                raise ValidationError("too long")
        except ValidationError:
            errors["media_url"] = [
                _("media_url must be an http(s) address of 500 characters or fewer.")
            ]
    if contact_phone:
        contact_phone = normalise_phone(contact_phone)
        if not contact_phone:
            errors["contact_phone"] = [_("Enter a phone number with its area code.")]
    prepared: list[PreparedPhoto] = []
    if photos and len(photos) > settings.CASE_PHOTOS_PER_CASE:
        errors["photos"] = [_("Attach up to %(n)d photos.") % {"n": settings.CASE_PHOTOS_PER_CASE}]
    else:
        for upload in photos or []:
            try:
                prepared.append(prepare_photo(upload, size=getattr(upload, "size", None)))
            except ValidationError as error:
                errors.setdefault("photos", []).extend(error.messages)
    if not (address_text or "").strip() and (lat is None or lng is None):
        # No place given: a photo taken on the spot knows where it was taken.
        located = next((p for p in prepared if p.exif_lat is not None), None)
        if located:
            lat, lng = located.exif_lat, located.exif_lng
    place = _locate((address_text or "").strip()[:200], lat, lng, errors)
    if errors:
        raise ValidationError(errors)
    assert service_type is not None
    # A phone agent files for a caller: the caller is the requester, the agent the actor.
    if on_behalf_of is not None or channel in STAFF_CHANNELS:
        requester = on_behalf_of  # may be None: an unknown caller, or staff's own finding
    else:
        requester = actor if actor is not None and actor.is_authenticated else None
    if requester is None and contact_email:
        requester = _account_for_email(contact_email)
    if requester is None and contact_phone:
        requester = _account_for_phone(contact_phone)
    try:
        with transaction.atomic():
            case = Case.objects.create(
                service_type=service_type,
                channel=channel,
                description=description,
                requester=requester,
                contact_email=contact_email or (requester.email if requester else ""),
                contact_phone=contact_phone,
                contact_name=clean(contact_name)[:120],
                answers=answers or {},
                media_url=media_url,
                creation_key=key,
                **place,
            )
            case.reference = f"{timezone.localdate().year}-{case.pk:06d}"
            case.save(update_fields=["reference"])
            CaseEvent.objects.create(
                case=case,
                status=CaseStatus.RECEIVED,
                message=_("We received your request."),
                actor=actor if actor is not None and actor.is_authenticated else requester,
            )
            if requester:
                CaseFollow.objects.create(case=case, user=requester)
            for photo in prepared:
                token = secrets.token_hex(16)
                CasePhoto.objects.create(
                    case=case,
                    token=token,
                    extension=photo.extension,
                    image=ContentFile(photo.content, name=f"{token}.{photo.extension}"),
                    content_type=photo.content_type,
                    size=len(photo.content),
                    width=photo.width,
                    height=photo.height,
                    exif_lat=photo.exif_lat,
                    exif_lng=photo.exif_lng,
                )
            enqueue_with_transaction(route_case_task, case.pk)
            return case, True
    except IntegrityError:
        if key:
            previous = Case.objects.filter(creation_key=key).first()
            if previous:
                return previous, False
        raise


def _matching_rule(case: Case) -> RoutingRule | None:
    """The most specific active rule: type and area, then type, then area."""
    rules = RoutingRule.objects.filter(is_active=True).filter(
        Q(service_type_id=case.service_type_id) | Q(service_type__isnull=True),
        Q(neighbourhood_id=case.neighbourhood_id) | Q(neighbourhood__isnull=True),
    )
    best = None
    for rule in rules.select_related("department", "team").order_by("-created_at"):
        rank = (rule.service_type_id is not None) * 2 + (rule.neighbourhood_id is not None)
        if best is None or rank > best[0]:
            best = (rank, rule)
    return best[1] if best else None


def _expected_by(case: Case) -> tuple[dt.date | None, int | None]:
    """The 80th percentile of how long past cases of this type took here (city-wide when
    this neighbourhood has too few), counted from when this case came in."""
    rows = {
        row.neighbourhood_id: row
        for row in ResolutionTime.objects.filter(service_type_id=case.service_type_id).filter(
            Q(neighbourhood_id=case.neighbourhood_id) | Q(neighbourhood__isnull=True)
        )
    }
    row = rows.get(case.neighbourhood_id) if case.neighbourhood_id else None
    if row is None or row.sample_size < MIN_LOCAL_SAMPLE:
        row = rows.get(None)
    if row is None or row.sample_size < MIN_LOCAL_SAMPLE:
        return None, None
    done = case.created_at + dt.timedelta(hours=row.p80_hours)
    return timezone.localtime(done).date(), 80


@transaction.atomic
def route_case(*, case_id: int) -> bool:
    """Send a case where the routing rules say (else its type's department), set its
    deadline and expected date, and schedule the escalation check for the deadline.
    Idempotent: a case already routed is left alone (a retried task does nothing twice)."""
    case = (
        Case.objects.select_for_update().select_related("service_type").filter(pk=case_id).first()
    )
    if case is None or case.routed_at is not None:
        return False
    rule = _matching_rule(case)
    if rule is not None:
        case.department_id, case.team_id = rule.department_id, rule.team_id
    else:
        case.department_id = case.service_type.department_id
    if case.service_type.sla_days:
        case.due_at = deadline_for(
            case.created_at,
            case.service_type.sla_days,
            working_days=case.service_type.sla_working_days,
        )
    case.expected_by, case.expected_quantile = _expected_by(case)
    case.routed_at = case.updated_at = timezone.now()
    case.save(
        update_fields=[
            "department", "team", "due_at", "expected_by", "expected_quantile", "routed_at",
            "updated_at",
        ]
    )  # fmt: skip
    department = Department.objects.get(pk=case.department_id)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.TRANSFER,
        message=_("Sent to %(department)s.") % {"department": department.name},
    )
    record_write(
        actor=None,
        action="case.routed",
        summary=f"Case {case.reference} routed to {department.code}"
        + (f" by rule {rule.pk}" if rule else ""),
        obj=case,
        case_reference=case.reference or "",
    )
    _schedule_escalation(case)
    return True


def _schedule_escalation(case: Case) -> None:
    from cityhall.cases.tasks import escalate_case_task

    if case.due_at is None:
        return
    enqueue_with_transaction(escalate_case_task, case.pk, run_after=case.due_at)


@transaction.atomic
def escalate_if_overdue(*, case_id: int, now: dt.datetime | None = None) -> bool:
    """Run by the worker at the deadline. Flags the case for supervisors once; a deadline
    that moved (transfer) or a case already done is left alone."""
    now = now or timezone.now()
    case = Case.objects.select_for_update().filter(pk=case_id).first()
    if (
        case is None
        or case.escalated_at is not None
        or case.status not in OPEN_STATUSES
        or case.due_at is None
        or case.due_at > now
    ):
        return False
    case.escalated_at = now
    case.save(update_fields=["escalated_at"])
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ESCALATION,
        is_public=False,
        message=_("Deadline passed: escalated to the department's supervisors."),
    )
    record_write(
        actor=None,
        action="case.escalated",
        summary=f"Case {case.reference} passed its deadline",
        obj=case,
        case_reference=case.reference or "",
    )
    return True


def escalate_overdue_cases(*, now: dt.datetime | None = None) -> int:
    """Catch-up sweep (after an outage): escalate every open case past its deadline."""
    now = now or timezone.now()
    ids = Case.objects.filter(
        status__in=OPEN_STATUSES, due_at__lt=now, escalated_at__isnull=True
    ).values_list("pk", flat=True)
    return sum(escalate_if_overdue(case_id=pk, now=now) for pk in list(ids))


# --- Staff work on a case --------------------------------------------------------------------


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


def _requester_language(case: Case) -> str:
    from cityhall.accounts.models import Profile

    if case.requester_id is None:
        return "en"
    language = (
        Profile.objects.filter(account_id=case.requester_id, is_primary=True)
        .values_list("language", flat=True)
        .first()
    )
    return language or "en"


def _locked(case: Case) -> Case:
    """The current row, locked: permission checks must not trust a stale object."""
    return Case.objects.select_for_update().select_related("service_type").get(pk=case.pk)


def _touch(case: Case, *fields: str) -> None:
    case.updated_at = timezone.now()
    case.save(update_fields=[*fields, "updated_at"])


def _audit(actor: Any, case: Case, action: str, summary: str, **detail: Any) -> None:
    record_write(
        actor=actor,
        action=action,
        summary=summary,
        obj=case,
        case_reference=case.reference or "",
        detail=detail or None,
    )


STAFF_STATUSES = [
    CaseStatus.IN_PROGRESS,
    CaseStatus.SCHEDULED,
    CaseStatus.RESOLVED,
    CaseStatus.CLOSED,
]


@transaction.atomic
def update_status(
    *,
    actor: Any,
    case: Case,
    status: str,
    public_note: str = "",
    template: ResponseTemplate | None = None,
) -> CaseEvent:
    """A status change residents see, with an optional public note: written, or a ready-made
    reply in the requester's language."""
    case = _locked(case)
    _require(queries.can_work_case(actor, case))
    public_note = clean(public_note)
    if not public_note and template is not None:
        public_note = template.body_es if _requester_language(case) == "es" else template.body_en
    errors: dict[str, list[str]] = {}
    if status not in CaseStatus.values:
        errors["status"] = [_("Choose a status from the list.")]
    if len(public_note) > 1000:
        errors["public_note"] = [_("Use 1,000 characters or fewer.")]
    if case.merged_into_id:
        errors["status"] = [_("This case was merged; work the case it was merged into.")]
    if errors:
        raise ValidationError(errors)
    previous = case.status
    case.status = status
    if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED):
        case.closed_at = case.closed_at or timezone.now()
    else:
        case.closed_at = None
    if public_note:
        case.status_notes = public_note
    _touch(case, "status", "closed_at", "status_notes")
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.STATUS, status=status, message=public_note, actor=actor
    )
    _audit(actor, case, "case.status_changed", f"Case {case.reference}: {previous} → {status}")
    notify_case_event(event=event)
    return event


@transaction.atomic
def add_internal_note(*, actor: Any, case: Case, text: str) -> CaseEvent:
    """Staff-only: never shown to residents, never in Open311."""
    case = _locked(case)
    _require(queries.can_work_case(actor, case))
    text = clean(text)
    if not text:
        raise ValidationError({"text": [_("Write the note first.")]})
    if len(text) > 1000:
        raise ValidationError({"text": [_("Use 1,000 characters or fewer.")]})
    event = CaseEvent.objects.create(
        case=case, kind=EventKind.NOTE, message=text, is_public=False, actor=actor
    )
    _touch(case)
    _audit(actor, case, "case.internal_note", f"Internal note on case {case.reference}")
    return event


@transaction.atomic
def assign_case(*, actor: Any, case: Case, assignee: Any) -> None:
    """Give the case to a colleague in its department (or take it back: assignee None)."""
    case = _locked(case)
    _require(queries.can_work_case(actor, case))
    if assignee is not None and assignee.pk not in {u.pk for u in queries.colleagues(case)}:
        raise ValidationError({"assignee": [_("Choose someone who works in this department.")]})
    case.assignee = assignee
    fields = ["assignee"]
    if assignee is not None and case.status == CaseStatus.RECEIVED:
        case.status = CaseStatus.ASSIGNED
        fields.append("status")
        CaseEvent.objects.create(
            case=case,
            status=CaseStatus.ASSIGNED,
            message=_("Someone is looking at it."),
            actor=actor,
        )
    _touch(case, *fields)
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.ASSIGNMENT,
        is_public=False,
        message=(_("Assigned to %(who)s.") % {"who": assignee.email})
        if assignee
        else _("Unassigned."),
        actor=actor,
    )
    _audit(
        actor, case, "case.assigned", f"Case {case.reference} assigned to {assignee or 'nobody'}"
    )


@transaction.atomic
def transfer_case(
    *, actor: Any, case: Case, department: Department, team: Team | None = None, reason: str = ""
) -> None:
    """Hand a case to another department (it leaves this queue; the new deadline restarts)."""
    case = _locked(case)
    _require(queries.can_work_case(actor, case))
    errors: dict[str, list[str]] = {}
    if department.pk == case.department_id and (team.pk if team else None) == case.team_id:
        errors["department"] = [_("The case is already there.")]
    if team is not None and team.department_id != department.pk:
        errors["team"] = [_("That team is in another department.")]
    if errors:
        raise ValidationError(errors)
    previous = case.department_id
    case.department, case.team, case.assignee = department, team, None
    case.routed_at = case.routed_at or timezone.now()  # a person decided: routing leaves it
    if case.service_type.sla_days:
        case.due_at = deadline_for(
            timezone.now(),
            case.service_type.sla_days,
            working_days=case.service_type.sla_working_days,
        )
        case.escalated_at = None
    _touch(case, "department", "team", "assignee", "due_at", "escalated_at", "routed_at")
    CaseEvent.objects.create(
        case=case,
        kind=EventKind.TRANSFER,
        message=_("Sent to %(department)s.") % {"department": department.name},
        actor=actor,
    )
    if reason.strip():
        CaseEvent.objects.create(
            case=case, kind=EventKind.NOTE, is_public=False, message=reason.strip()[:1000],
            actor=actor,
        )  # fmt: skip
    _audit(
        actor,
        case,
        "case.transferred",
        f"Case {case.reference} transferred {previous} → {department.code}",
    )
    _schedule_escalation(case)


@transaction.atomic
def merge_cases(*, actor: Any, duplicate: Case, into: Case) -> None:
    """The duplicate closes and points at the case that stays; its followers follow that one
    and its timeline is summarised there, so nobody loses track."""
    # Lock in id order, so merging A into B while someone merges B into A cannot deadlock.
    locked = {c.pk: _locked(c) for c in sorted((duplicate, into), key=lambda c: c.pk)}
    duplicate, into = locked[duplicate.pk], locked[into.pk]
    _require(queries.can_supervise_case(actor, duplicate) and queries.can_work_case(actor, into))
    if duplicate.pk == into.pk:
        raise ValidationError({"into": [_("A case cannot be merged into itself.")]})
    if into.merged_into_id:
        raise ValidationError(
            {"into": [_("That case was itself merged; use the case it points to.")]}
        )
    if duplicate.merged_into_id:
        raise ValidationError({"into": [_("This case is already merged.")]})
    followers = set(duplicate.follows.values_list("user_id", flat=True))
    if duplicate.requester_id:
        followers.add(duplicate.requester_id)
    existing = set(into.follows.values_list("user_id", flat=True))
    CaseFollow.objects.bulk_create(
        [CaseFollow(case=into, user_id=uid) for uid in followers - existing],
        ignore_conflicts=True,
    )
    for event in duplicate.events.filter(is_public=True).order_by("created_at", "id"):
        CaseEvent.objects.create(
            case=into,
            kind=EventKind.MERGE,
            is_public=False,
            message=f"[{duplicate.reference}] {event.message}"[:1000],
        )
    duplicate.merged_into = into
    duplicate.status = CaseStatus.CLOSED
    duplicate.closed_at = timezone.now()
    _touch(duplicate, "merged_into", "status", "closed_at")
    merged_event = CaseEvent.objects.create(
        case=duplicate,
        kind=EventKind.MERGE,
        status=CaseStatus.CLOSED,
        message=_("Same problem as request %(ref)s: we are working on it there.")
        % {"ref": into.reference},
        actor=actor,
    )
    CaseEvent.objects.create(
        case=into,
        kind=EventKind.MERGE,
        message=_("Request %(ref)s about the same problem was joined to this one.")
        % {"ref": duplicate.reference},
        actor=actor,
    )
    _touch(into)
    _audit(
        actor, duplicate, "case.merged", f"Case {duplicate.reference} merged into {into.reference}"
    )
    notify_case_event(event=merged_event)


BULK_ACTIONS = ("assign_me", "in_progress", "scheduled", "resolved", "closed")


@transaction.atomic
def bulk_update(*, actor: Any, cases: list[Case], action: str, public_note: str = "") -> int:
    """The same change to many cases at once, all or nothing."""
    if action not in BULK_ACTIONS:
        raise ValidationError({"action": [_("Choose what to do with the selected cases.")]})
    cases = list({case.pk: case for case in cases}.values())  # each case once
    if not cases:
        raise ValidationError({"cases": [_("Select at least one case.")]})
    for case in cases:
        if action == "assign_me":
            assign_case(actor=actor, case=case, assignee=actor)
        else:
            update_status(actor=actor, case=case, status=action, public_note=public_note)
    return len(cases)


# --- Residents following their cases ---------------------------------------------------------


@transaction.atomic
def follow_case(*, actor: Any, case: Case) -> bool:
    _require(actor.is_authenticated)
    _, created = CaseFollow.objects.get_or_create(case=case, user=actor)
    return created


@transaction.atomic
def unfollow_case(*, actor: Any, case: Case) -> bool:
    _require(actor.is_authenticated)
    return CaseFollow.objects.filter(case=case, user=actor).delete()[0] > 0


@transaction.atomic
def reopen_case(*, actor: Any, case: Case, reason: str) -> CaseEvent:
    """ "It isn't fixed": back to the department's queue, with a fresh deadline."""
    case = _locked(case)  # two reopen clicks: the second sees the first's result
    _require(queries.can_reopen(actor, case))
    reason = clean(reason)
    if not reason:
        raise ValidationError({"reason": [_("Tell us what is still wrong.")]})
    if len(reason) > 1000:
        raise ValidationError({"reason": [_("Use 1,000 characters or fewer.")]})
    case.status = CaseStatus.RECEIVED
    case.closed_at = None
    case.reopened_count += 1
    case.escalated_at = None
    if case.service_type.sla_days:
        case.due_at = deadline_for(
            timezone.now(),
            case.service_type.sla_days,
            working_days=case.service_type.sla_working_days,
        )
    _touch(case, "status", "closed_at", "reopened_count", "escalated_at", "due_at")
    event = CaseEvent.objects.create(
        case=case,
        status=CaseStatus.RECEIVED,
        message=_("Reopened: the problem is not fixed yet."),
        actor=actor,
    )
    CaseEvent.objects.create(
        case=case, kind=EventKind.MESSAGE, is_public=False, message=reason, actor=actor
    )
    _audit(actor, case, "case.reopened", f"Case {case.reference} reopened by requester")
    _schedule_escalation(case)
    notify_case_event(event=event)
    return event


@transaction.atomic
def rate_case(*, actor: Any, case: Case, score: int) -> None:
    """The one-question survey: how happy were you with how we handled it (1–5)?"""
    _require(queries.can_rate(actor, case))
    if score not in range(1, 6):
        raise ValidationError({"score": [_("Choose from 1 to 5.")]})
    updated = Case.objects.filter(pk=case.pk, satisfaction__isnull=True).update(satisfaction=score)
    if not updated:
        raise ValidationError({"score": [_("You already rated this request. Thank you.")]})
    CaseEvent.objects.create(
        case=case, kind=EventKind.SURVEY, is_public=False, message=f"{score}/5", actor=actor
    )
    _audit(actor, case, "case.rated", f"Case {case.reference} rated {score}/5")


# --- Staff preferences -----------------------------------------------------------------------


@transaction.atomic
def save_view(*, actor: Any, name: str, query: str) -> SavedView:
    _require(queries.works_cases(actor))
    name = (name or "").strip()[:80]
    if not name:
        raise ValidationError({"name": [_("Give the view a name.")]})
    view, _created = SavedView.objects.update_or_create(
        user=actor, name=name, defaults={"query": (query or "")[:500]}
    )
    return view


@transaction.atomic
def delete_view(*, actor: Any, view_id: int) -> None:
    SavedView.objects.filter(user=actor, pk=view_id).delete()


# --- Learning how long things take -----------------------------------------------------------

MIN_LOCAL_SAMPLE = 20


def rebuild_resolution_times(*, actor: Any = None) -> int:
    """Median and 80th percentile of time-to-close per type, per neighbourhood and city-wide,
    from closed cases. Reads in one pass ordered by type; writes the table in one transaction."""
    import numpy as np

    per_key: dict[tuple[Any, Any], list[float]] = {}
    closed = (
        Case.objects.filter(closed_at__isnull=False, merged_into__isnull=True)
        .values_list("service_type_id", "neighbourhood_id", "created_at", "closed_at")
        .iterator(chunk_size=20_000)
    )
    for type_id, area_id, created, closed_at in closed:
        if closed_at is None:
            continue
        hours = (closed_at - created).total_seconds() / 3600
        if hours < 0:
            continue
        per_key.setdefault((type_id, None), []).append(hours)
        if area_id:
            per_key.setdefault((type_id, area_id), []).append(hours)
    rows = []
    for (type_id, area_id), durations in per_key.items():
        values = np.asarray(durations)
        median, p80 = np.percentile(values, [50, 80])
        rows.append(
            ResolutionTime(
                service_type_id=type_id,
                neighbourhood_id=area_id,
                sample_size=len(durations),
                median_hours=float(median),
                p80_hours=float(p80),
            )
        )
    with transaction.atomic():
        ResolutionTime.objects.all().delete()
        ResolutionTime.objects.bulk_create(rows, batch_size=2000)
        record_write(
            actor=actor,
            action="cases.resolution_times_rebuilt",
            summary=f"Resolution times rebuilt: {len(rows)} rows",
        )
    return len(rows)


@transaction.atomic
def add_requester_message(*, actor: Any, case: Case, text: str, channel: str) -> CaseEvent:
    """The requester wrote again (an email reply, a text): staff see it on the case; it is
    not public because people put personal details in messages."""
    text = clean(text)
    if not text:
        raise ValidationError({"text": [_("The message is empty.")]})
    event = CaseEvent.objects.create(
        case=case,
        kind=EventKind.MESSAGE,
        message=text[:1000],
        is_public=False,
        actor=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    record_write(
        actor=event.actor,
        action="case.message_received",
        summary=f"Message on case {case.reference} by {channel}",
        obj=case,
        case_reference=case.reference or "",
    )
    return event


def record_past_cases(*, actor: Any, items: list[dict[str, Any]], source: str) -> int:
    """Load closed cases from another system's history (for expected dates and reports).
    Each item: key, service_code, neighbourhood (slug or ""), created_at, closed_at, channel.
    Idempotent by key; unknown types or places are skipped, not invented."""
    from cityhall.places.models import Neighbourhood

    types = {
        code: (pk, dept)
        for code, pk, dept in ServiceType.objects.values_list("code", "pk", "department_id")
    }
    areas = {
        n.slug: n for n in Neighbourhood.objects.only("pk", "slug", "centroid_lat", "centroid_lng")
    }
    keys = [f"{source}:{item['key']}"[:64] for item in items]
    known = set(Case.objects.filter(creation_key__in=keys).values_list("creation_key", flat=True))
    new: list[Case] = []
    for key, item in zip(keys, items, strict=True):
        if key in known or item["service_code"] not in types:
            continue
        area = areas.get(item.get("neighbourhood") or "")
        type_id, department_id = types[item["service_code"]]
        new.append(
            Case(
                service_type_id=type_id,
                department_id=department_id,
                status=CaseStatus.CLOSED,
                channel=str(item["channel"]) if item.get("channel") in Channel.values else "phone",
                description="",
                lat=area.centroid_lat if area else None,
                lng=area.centroid_lng if area else None,
                neighbourhood=area,
                creation_key=key,
                source=source[:100],
                created_at=item["created_at"],
                updated_at=item["closed_at"],
                routed_at=item["created_at"],
                closed_at=item["closed_at"],
            )
        )
    with transaction.atomic():
        created = Case.objects.bulk_create(new, batch_size=2000)
        by_key = dict(
            Case.objects.filter(creation_key__in=[c.creation_key for c in created]).values_list(
                "creation_key", "pk"
            )
        )
        for case in created:
            case.pk = by_key[case.creation_key]
            case.reference = f"{timezone.localtime(case.created_at).year}-{case.pk:06d}"
        Case.objects.bulk_update(created, ["reference"], batch_size=2000)
        record_write(
            actor=actor,
            action="cases.history_loaded",
            summary=f"Loaded {len(created)} past cases from {source}",
        )
    return len(created)


def erase_personal_data(*, user: Any, email: str, phone: str) -> int:
    """Account deletion: the cases stay (the city's record of the work) but no longer say who
    asked, how to reach them, or what they wrote to us privately. Returns cases touched."""
    filters = Q(requester=user)
    if email:
        filters |= Q(contact_email__iexact=email)
    if phone:
        filters |= Q(contact_phone=phone)
    cases = Case.objects.filter(filters)
    touched = cases.update(contact_email="", contact_phone="", contact_name="", requester=None)
    CaseEvent.objects.filter(actor=user, kind=EventKind.MESSAGE).update(message="")
    CaseFollow.objects.filter(user=user).delete()
    return touched
