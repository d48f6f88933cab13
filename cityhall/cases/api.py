"""/api/v1/cases: report a problem from an app, follow it, and list my requests."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.utils import check_csrf

from cityhall.api import SignedInSession
from cityhall.cases import actions, queries
from cityhall.cases.models import Case, Channel

router = Router(tags=["cases"])


class CaseIn(Schema):
    service_code: str = Field(..., min_length=1, max_length=100)
    description: str = Field(..., min_length=1, max_length=4000)
    address: str = Field("", max_length=200)
    lat: float | None = None
    lng: float | None = None
    contact_email: str = Field("", max_length=254)
    answers: dict[str, str] = {}


class EventOut(Schema):
    at: dt.datetime
    status: str
    message: str


class CaseOut(Schema):
    reference: str
    url: str
    service_code: str
    service_name: str
    status: str
    channel: str
    address: str
    neighbourhood: str | None
    lat: float | None
    lng: float | None
    created_at: dt.datetime
    expected_by: dt.date | None
    expected_percentile: int | None
    merged_into: str | None
    timeline: list[EventOut]


class CaseSummaryOut(Schema):
    reference: str
    url: str
    service_name: str
    status: str
    channel: str
    created_at: dt.datetime


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


def _summary(request: HttpRequest, case: Case) -> dict[str, Any]:
    return {
        "reference": case.reference,
        "url": request.build_absolute_uri(f"/cases/{case.reference}/"),
        "service_name": case.service_type.name,
        "status": case.status,
        "channel": case.channel,
        "created_at": case.created_at,
    }


def _case_out(request: HttpRequest, case: Case) -> dict[str, Any]:
    """What anyone with the reference may see: never who reported it."""
    return _summary(request, case) | {
        "service_code": case.service_type.code,
        "address": case.address_text,
        "neighbourhood": case.neighbourhood.name if case.neighbourhood else None,
        "lat": case.lat,
        "lng": case.lng,
        "expected_by": case.expected_by,
        "expected_percentile": case.expected_quantile,
        "merged_into": case.merged_into.reference if case.merged_into else None,
        "timeline": [
            {"at": e.created_at, "status": e.status, "message": e.message}
            for e in queries.public_timeline(case)
        ],
    }


@router.post(
    "",
    auth=None,
    response={201: CaseOut, 200: CaseOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Report a problem (send an Idempotency-Key header to retry safely)",
)
def create_case(request: HttpRequest, payload: CaseIn) -> Any:
    """Anonymous apps may report (give contact_email for updates); a signed-in browser session
    files as that resident and, like every session write, needs the CSRF token."""
    if request.user.is_authenticated and check_csrf(request) is not None:
        return Status(403, {"detail": "CSRF check failed."})
    case, created = actions.submit_case(
        actor=request.user,
        service_code=payload.service_code,
        description=payload.description,
        channel=Channel.API,
        address_text=payload.address,
        lat=payload.lat,
        lng=payload.lng,
        contact_email=payload.contact_email,
        answers=payload.answers,
        idempotency_key=request.headers.get("Idempotency-Key"),
        idempotency_scope=f"user:{request.user.pk}" if request.user.is_authenticated else "anon",
    )
    return Status(
        201 if created else 200, _case_out(request, queries.public_case(case.reference or ""))
    )


@router.get("/mine", response=list[CaseSummaryOut], summary="My requests from every channel")
def my_cases(request: HttpRequest) -> list[dict[str, Any]]:
    return [_summary(request, c) for c in queries.cases_for_resident(request.user)[:200]]


@router.get(
    "/{reference}",
    auth=None,
    response={200: CaseOut, 404: ErrorOut},
    summary="A request's public status and timeline",
)
def case_detail(request: HttpRequest, reference: str) -> dict[str, Any]:
    return _case_out(request, queries.public_case(reference))


@router.post(
    "/{reference}/follow",
    auth=SignedInSession(),
    response={200: None, 404: ErrorOut},
    summary="Get updates on a request",
)
def follow(request: HttpRequest, reference: str) -> None:
    actions.follow_case(actor=request.user, case=queries.public_case(reference))


@router.delete(
    "/{reference}/follow",
    auth=SignedInSession(),
    response={204: None, 404: ErrorOut},
    summary="Stop getting updates on a request",
)
def unfollow(request: HttpRequest, reference: str) -> Any:
    actions.unfollow_case(actor=request.user, case=queries.public_case(reference))
    return Status(204, None)
