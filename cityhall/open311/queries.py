"""Reads for the Open311 GeoReport v2 API, shaped exactly as the standard names things."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from cityhall.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus
from cityhall.catalog.models import ServiceType

DEFAULT_WINDOW_DAYS = 90
MAX_RESULTS = 1000


class BadRequest(ValueError):
    pass


def _iso(value: dt.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def service_list() -> list[dict[str, Any]]:
    types = ServiceType.objects.select_related("service").order_by("code")
    return [
        {
            "service_code": t.code,
            "service_name": t.name_en,
            "description": getattr(getattr(t, "service", None), "summary_en", "") or t.name_en,
            "metadata": bool(t.descriptors),
            "type": "realtime",
            "keywords": ", ".join(getattr(getattr(t, "service", None), "keywords_en", []) or []),
            "group": t.group_en or None,
        }
        for t in types
    ]


def service_definition(code: str) -> dict[str, Any] | None:
    service_type = ServiceType.objects.filter(code=code).first()
    if service_type is None:
        return None
    attributes = []
    if service_type.descriptors:
        attributes.append(
            {
                "variable": True,
                "code": "descriptor",
                "datatype": "singlevaluelist",
                "required": False,
                "datatype_description": "Choose the closest description.",
                "order": 1,
                "description": "What best describes it?",
                "values": [
                    {"key": d.get("code", ""), "name": d.get("name_en", "")}
                    for d in service_type.descriptors
                ],
            }
        )
    return {"service_code": service_type.code, "attributes": attributes}


ROW_FIELDS = [
    "pk", "reference", "status", "status_notes", "description", "created_at", "updated_at",
    "due_at", "address_text", "address_id", "lat", "lng", "media_url",
    "service_type__name_en", "service_type__code", "department__name_en", "address__postcode",
]  # fmt: skip


def as_requests(cases: QuerySet[Case]) -> list[dict[str, Any]]:
    """Cases in the standard's shape. Plain rows, not model objects: a full answer is up to
    1,000 requests, and this keeps it one query (two when some need their latest public note)."""
    rows = list(cases.values(*ROW_FIELDS))
    needs_note = [r["pk"] for r in rows if not r["status_notes"]]
    notes: dict[int, str] = {}
    if needs_note:
        for case_id, message in (
            CaseEvent.objects.filter(case_id__in=needs_note, is_public=True)
            .exclude(message="")
            .order_by("id")
            .values_list("case_id", "message")
        ):
            notes[case_id] = message  # the last one wins
    return [
        {
            "service_request_id": r["reference"],
            "status": "open" if r["status"] in OPEN_STATUSES else "closed",
            "status_notes": r["status_notes"] or notes.get(r["pk"]),
            "service_name": r["service_type__name_en"],
            "service_code": r["service_type__code"],
            "description": r["description"],
            "agency_responsible": r["department__name_en"],
            "service_notice": None,
            "requested_datetime": _iso(r["created_at"]),
            "updated_datetime": _iso(r["updated_at"]),
            "expected_datetime": _iso(r["due_at"]),
            "address": r["address_text"] or None,
            "address_id": str(r["address_id"]) if r["address_id"] else None,
            "zipcode": r["address__postcode"],
            "lat": r["lat"],
            "long": r["lng"],
            "media_url": r["media_url"] or None,
        }
        for r in rows
    ]


def _date(value: str, name: str) -> dt.datetime:
    parsed = parse_datetime(value.replace(" ", "+")) if value else None
    if parsed is None:
        raise BadRequest(f"{name} must be a W3C date-time, e.g. 2026-11-01T00:00:00-05:00")
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def find_requests(params: dict[str, str]) -> QuerySet[Case]:
    cases = Case.objects.filter(reference__isnull=False)
    ids = [i.strip() for i in params.get("service_request_id", "").split(",") if i.strip()]
    if ids:
        return cases.filter(reference__in=ids[:MAX_RESULTS]).order_by("-created_at")
    codes = [c.strip() for c in params.get("service_code", "").split(",") if c.strip()]
    if codes:
        cases = cases.filter(service_type__code__in=codes)
    statuses = [s.strip() for s in params.get("status", "").split(",") if s.strip()]
    if statuses:
        if not set(statuses) <= {"open", "closed"}:
            raise BadRequest("status must be open, closed, or both separated by a comma")
        if statuses == ["open"]:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif statuses == ["closed"]:
            cases = cases.filter(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
    end = _date(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
    start = (
        _date(params["start_date"], "start_date")
        if params.get("start_date")
        else end - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
    )
    if start > end:
        raise BadRequest("start_date must be before end_date")
    page, size = _paging(params)
    offset = (page - 1) * size
    return cases.filter(created_at__gte=start, created_at__lte=end).order_by("-created_at", "-id")[
        offset : offset + size
    ]


def _paging(params: dict[str, str]) -> tuple[int, int]:
    """The de-facto `page` / `page_size` extension; without them, the standard's 1,000 cap."""
    try:
        page = int(params.get("page") or 1)
        size = int(params.get("page_size") or MAX_RESULTS)
    except ValueError:
        raise BadRequest("page and page_size must be whole numbers") from None
    if page < 1 or page > 100_000 or not 1 <= size <= MAX_RESULTS:
        raise BadRequest(f"page must be 1 or more and page_size between 1 and {MAX_RESULTS}")
    return page, size
