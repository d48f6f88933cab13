"""Every write to cases: submission from any channel, routing, and the timeline."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.audit.actions import record_write
from cityhall.cases.models import Case, CaseEvent, CaseFollow, CaseStatus, Channel, EventKind
from cityhall.catalog.models import ServiceType
from cityhall.places.queries import find_address, neighbourhood_for_point

MAX_DESCRIPTION = 4000
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def normalise_phone(text: str) -> str:
    """+1 and ten digits for North American numbers, else + and the digits given."""
    digits = re.sub(r"\D", "", text or "")
    if len(digits) == 10:
        digits = "1" + digits
    return f"+{digits}" if 8 <= len(digits) <= 15 else ""


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
    idempotency_key: str | None = None,
) -> tuple[Case, bool]:
    """File a case from any channel. Returns (case, created); a retry with the same key
    returns the first case. Routing happens in the worker after commit."""
    from cityhall.cases.tasks import route_case_task

    key = (idempotency_key or "").strip()[:64] or None
    if key:
        previous = Case.objects.filter(creation_key=key).first()
        if previous:
            return previous, False
    errors: dict[str, list[str]] = {}
    service_type = ServiceType.objects.filter(code=service_code).first()
    if service_type is None:
        errors["service_code"] = [_("Choose what you are reporting from the list.")]
    description = _CONTROL.sub("", (description or "").strip())
    if not description:
        errors["description"] = [_("Describe the problem in a few words.")]
    elif len(description) > MAX_DESCRIPTION:
        errors["description"] = [_("Use 4,000 characters or fewer.")]
    if channel not in Channel.values:
        errors["channel"] = [_("Unknown channel.")]
    contact_email = (contact_email or "").strip()
    if contact_email:
        try:
            validate_email(contact_email)
        except ValidationError:
            errors["contact_email"] = [_("Enter a valid email address, or leave it empty.")]
    if contact_phone:
        contact_phone = normalise_phone(contact_phone)
        if not contact_phone:
            errors["contact_phone"] = [_("Enter a phone number with its area code.")]
    place = _locate((address_text or "").strip()[:200], lat, lng, errors)
    if errors:
        raise ValidationError(errors)
    assert service_type is not None
    # A phone agent files for a caller: the caller is the requester, the agent the actor.
    if on_behalf_of is not None:
        requester = on_behalf_of
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
                contact_name=(contact_name or "").strip()[:120],
                answers=answers or {},
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
            transaction.on_commit(lambda: route_case_task.enqueue(case.pk))
            return case, True
    except IntegrityError:
        if key:
            previous = Case.objects.filter(creation_key=key).first()
            if previous:
                return previous, False
        raise


@transaction.atomic
def route_case(*, case_id: int) -> bool:
    """Send a case to the department that handles its type and set its due date.
    Idempotent: a case already routed is left alone (a retried task does nothing twice)."""
    case = (
        Case.objects.select_for_update().select_related("service_type").filter(pk=case_id).first()
    )
    if case is None or case.routed_at is not None:
        return False
    case.department_id = case.service_type.department_id
    if case.service_type.sla_days:
        case.due_at = case.created_at + dt.timedelta(days=case.service_type.sla_days)
    case.routed_at = case.updated_at = timezone.now()
    case.save(update_fields=["department", "due_at", "routed_at", "updated_at"])
    CaseEvent.objects.create(
        case=case,
        message=_("Sent to %(department)s.") % {"department": case.service_type.department.name},
    )
    record_write(
        actor=None,
        action="case.routed",
        summary=f"Case {case.reference} routed to {case.service_type.department.code}",
        obj=case,
        case_reference=case.reference or "",
    )
    return True


@transaction.atomic
def add_requester_message(*, actor: Any, case: Case, text: str, channel: str) -> CaseEvent:
    """The requester wrote again (an email reply, a text): staff see it on the case; it is
    not public because people put personal details in messages."""
    text = _CONTROL.sub("", (text or "").strip())
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
