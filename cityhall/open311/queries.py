"""Reads for the Open311 GeoReport v2 API, shaped exactly as the standard names things."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.db import connection
from django.db.models import CharField, F, Func, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from cityhall.cases.models import OPEN_STATUSES, Case, CaseEvent, CaseStatus
from cityhall.catalog.models import ServiceType

DEFAULT_WINDOW_DAYS = 90
MAX_RESULTS = 1000
DEFAULT_RADIUS_M = 500
MAX_RADIUS_M = 50_000
EARTH_RADIUS_M = 6_371_008.8
METRES_PER_DEGREE = EARTH_RADIUS_M * math.pi / 180


class BadRequest(ValueError):
    pass


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
    "channel",
]  # fmt: skip
TIME_FIELDS = ("created_at", "updated_at", "due_at")


class LocalIsoText(Func):
    """On PostgreSQL, a timestamp as the standard's text (local time, seconds, `+hh:mm`
    offset), written by the database: parsing thousands of timestamps into Python objects
    only to print them again cost more than the query. Elsewhere, the column as it is."""

    output_field = CharField()

    def as_sql(self, compiler: Any, connection: Any, *args: Any, **extra: Any) -> Any:  # type: ignore[override]
        return compiler.compile(self.source_expressions[0])

    def as_postgresql(self, compiler: Any, connection: Any, **extra: Any) -> Any:
        column, params = compiler.compile(self.source_expressions[0])
        if params:
            raise ValueError("LocalIsoText expects a plain column")
        local = f"({column} AT TIME ZONE %s)"
        utc = f"({column} AT TIME ZONE 'UTC')"
        sql = (
            f"to_char({local}, 'YYYY-MM-DD\"T\"HH24:MI:SS') || CASE WHEN {local} >= {utc} "
            f"THEN '+' || to_char({local} - {utc}, 'HH24:MI') "
            f"ELSE '-' || to_char({utc} - {local}, 'HH24:MI') END"
        )
        return sql, [timezone.get_current_timezone_name()] * 4


def _row_query(cases: QuerySet[Case]) -> QuerySet[Any]:
    if connection.vendor != "postgresql":
        return cases.values_list(*ROW_FIELDS)
    times = {f"{name}_text": LocalIsoText(name) for name in TIME_FIELDS}
    fields = [f"{name}_text" if name in TIME_FIELDS else name for name in ROW_FIELDS]
    return cases.annotate(**times).values_list(*fields)


_OPEN = frozenset(str(s) for s in OPEN_STATUSES)
# Text from a conversation (a text message, an email, a phone call, staff notes) was never
# written to be published and often names people or homes: only forms that say their
# description is public (web, apps, Open311 clients, imports) publish it.
PRIVATE_TEXT_CHANNELS = frozenset({"sms", "email", "phone", "internal"})


def _local_iso_function() -> Any:
    """A fast `value -> local ISO 8601 with offset` for raw column values (SQLite hands back
    naive UTC datetimes or text, PostgreSQL aware ones). A thousand-row answer has three
    thousand of these, so the zone's offset is looked up once per quarter hour of UTC time
    (offsets only ever change on such a boundary), not once per value."""
    tz = timezone.get_current_timezone()
    utc = dt.UTC
    parse = dt.datetime.fromisoformat
    offsets: dict[tuple[int, int, int, int, int], tuple[dt.timedelta, str]] = {}

    def iso(value: Any) -> str | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = parse(value)
        if value.tzinfo is not None:
            value = value.astimezone(utc).replace(tzinfo=None)
        key = (value.year, value.month, value.day, value.hour, value.minute // 15)
        offset = offsets.get(key)
        if offset is None:
            local = value.replace(tzinfo=utc).astimezone(tz)
            suffix = local.isoformat(timespec="seconds")[19:]
            offset = offsets[key] = (local.utcoffset() or dt.timedelta(0), suffix)
        return (value + offset[0]).isoformat(timespec="seconds") + offset[1]

    return iso


def _already_text(value: str | None) -> str | None:
    return value


def as_requests(cases: QuerySet[Case], *, extensions: bool = False) -> list[dict[str, Any]]:
    """Cases in the standard's shape. A full answer is up to 1,000 requests, so this reads
    plain tuples straight from the cursor (no model objects, no per-value ORM converters:
    they cost more than the query itself at this size) in one query, plus one for the public
    timeline when some need their latest public note or the caller asked for extensions."""
    sql, params = _row_query(cases).query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    wanted = [r[0] for r in rows] if extensions else [r[0] for r in rows if not r[3]]
    history = _public_history(wanted) if wanted else {}
    iso = _local_iso_function()
    row_iso = _already_text if connection.vendor == "postgresql" else iso
    result = []
    for (
        pk, reference, status, status_notes, description, created, updated, due, address_text,
        address_id, lat, lng, media_url, service_name, service_code, agency, postcode, channel,
    ) in rows:  # fmt: skip
        notes = history.get(pk, ())
        if not status_notes:
            status_notes = next((n[2] for n in reversed(notes) if n[2]), None)
        request = {
            "service_request_id": reference,
            "status": "open" if status in _OPEN else "closed",
            "status_notes": status_notes,
            "service_name": service_name,
            "service_code": service_code,
            "description": None if channel in PRIVATE_TEXT_CHANNELS else description,
            "agency_responsible": agency,
            "service_notice": None,
            "requested_datetime": row_iso(created),
            "updated_datetime": row_iso(updated),
            "expected_datetime": row_iso(due),
            "address": address_text or None,
            "address_id": str(address_id) if address_id else None,
            "zipcode": postcode,
            "lat": lat,
            "long": lng,
            "media_url": media_url or None,
        }
        if extensions:
            request["extended_attributes"] = {
                "channel": channel,
                "notes": [
                    {
                        "datetime": iso(when),
                        "type": kind,
                        "status": ("open" if event_status in _OPEN else "closed")
                        if event_status
                        else None,
                        "status_detail": event_status or None,
                        "description": message or None,
                    }
                    for kind, event_status, message, when in notes
                ],
            }
        result.append(request)
    return result


def _public_history(case_ids: list[int]) -> dict[int, list[tuple[Any, ...]]]:
    """Each case's public timeline, oldest first: (kind, status, message, time)."""
    history: dict[int, list[tuple[Any, ...]]] = {}
    events = (
        CaseEvent.objects.filter(case_id__in=case_ids, is_public=True)
        .order_by("case_id", "created_at", "id")
        .values_list("case_id", "kind", "status", "message", "created_at")
    )
    sql, params = events.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for case_id, *event in cursor.fetchall():
            history.setdefault(case_id, []).append(tuple(event))
    return history


def _date(value: str, name: str) -> dt.datetime:
    parsed = None
    if value:
        try:
            parsed = parse_datetime(value.replace(" ", "+"))
        except ValueError:  # well formed but impossible, e.g. month 13
            parsed = None
    if parsed is None:
        raise BadRequest(
            _("%(name)s must be a W3C date-time, e.g. 2026-11-01T00:00:00-05:00") % {"name": name}
        )
    if timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed)
    return parsed


def _numbers(value: str, name: str, count: int) -> list[float]:
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        numbers = []
    if len(numbers) != count or not all(math.isfinite(n) for n in numbers):
        raise BadRequest(_("%(name)s must be %(count)d numbers") % {"name": name, "count": count})
    return numbers


def _check_point(lat: float, lng: float, name: str) -> None:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise BadRequest(
            _("%(name)s: latitude must be within ±90 and longitude within ±180") % {"name": name}
        )


def _flag(value: str, name: str) -> bool:
    lowered = value.strip().lower()
    if lowered in ("", "false", "0"):
        return False
    if lowered in ("true", "1"):
        return True
    raise BadRequest(_("%(name)s must be true or false") % {"name": name})


def wants_extensions(params: dict[str, str]) -> bool:
    """The de-facto `extensions=true` (Chicago, Boston, San Francisco)."""
    return _flag(params.get("extensions", ""), "extensions")


def _near(cases: QuerySet[Case], params: dict[str, str]) -> QuerySet[Case]:
    """`bbox=min_long,min_lat,max_long,max_lat` (the order of OGC, GeoJSON and Mark-a-Spot)
    and `lat`/`long`/`radius` (metres, default 500): both may be given; both then apply."""
    if params.get("bbox", "").strip():
        min_lng, min_lat, max_lng, max_lat = _numbers(params["bbox"], "bbox", 4)
        _check_point(min_lat, min_lng, "bbox")
        _check_point(max_lat, max_lng, "bbox")
        if min_lat > max_lat or min_lng > max_lng:
            raise BadRequest(_("bbox must be min_long,min_lat,max_long,max_lat"))
        cases = cases.filter(lat__gte=min_lat, lat__lte=max_lat, lng__gte=min_lng, lng__lte=max_lng)
    lat_text = params.get("lat", "").strip()
    lng_text = params.get("long", "").strip()
    radius_text = params.get("radius", "").strip()
    if not (lat_text or lng_text or radius_text):
        return cases
    if not (lat_text and lng_text):
        raise BadRequest(_("lat and long go together (radius is optional, in metres)"))
    (lat,) = _numbers(lat_text, "lat", 1)
    (lng,) = _numbers(lng_text, "long", 1)
    _check_point(lat, lng, "lat/long")
    (radius,) = _numbers(radius_text, "radius", 1) if radius_text else (DEFAULT_RADIUS_M,)
    if not 0 < radius <= MAX_RADIUS_M:
        raise BadRequest(
            _("radius must be more than 0 and at most %(max)d metres") % {"max": MAX_RADIUS_M}
        )
    # A box first (cheap, and lets the database skip most rows), then the circle, measured on
    # a local flat projection: well under 1% off at these distances, and plain arithmetic
    # that SQLite and PostgreSQL both do without extensions.
    dlat = radius / METRES_PER_DEGREE
    x_scale = METRES_PER_DEGREE * max(math.cos(math.radians(lat)), 1e-6)
    dlng = radius / x_scale
    dx = (F("lng") - lng) * x_scale
    dy = (F("lat") - lat) * METRES_PER_DEGREE
    return (
        cases.filter(
            lat__gte=lat - dlat, lat__lte=lat + dlat, lng__gte=lng - dlng, lng__lte=lng + dlng
        )
        .alias(distance_squared=dx * dx + dy * dy)
        .filter(distance_squared__lte=radius * radius)
    )


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
            raise BadRequest(_("status must be open, closed, or both separated by a comma"))
        if set(statuses) == {"open"}:
            cases = cases.filter(status__in=OPEN_STATUSES)
        elif set(statuses) == {"closed"}:
            cases = cases.filter(status__in=[CaseStatus.RESOLVED, CaseStatus.CLOSED])
    after = _date(params["updated_after"], "updated_after") if params.get("updated_after") else None
    before = (
        _date(params["updated_before"], "updated_before") if params.get("updated_before") else None
    )
    if after and before and after > before:
        raise BadRequest(_("updated_after must be before updated_before"))
    by_update = bool(after or before) and not (params.get("start_date") or params.get("end_date"))
    if after:
        cases = cases.filter(updated_at__gte=after)
    if before:
        cases = cases.filter(updated_at__lte=before)
    if not by_update:
        # The standard's default window: the 90 days before end_date (or now).
        end = _date(params["end_date"], "end_date") if params.get("end_date") else timezone.now()
        start = (
            _date(params["start_date"], "start_date")
            if params.get("start_date")
            else end - dt.timedelta(days=DEFAULT_WINDOW_DAYS)
        )
        if start > end:
            raise BadRequest(_("start_date must be before end_date"))
        cases = cases.filter(created_at__gte=start, created_at__lte=end)
    cases = _near(cases, params)
    page, size = _paging(params)
    offset = (page - 1) * size
    # Asked by update time (a partner syncing changes), answered newest change first.
    order = ("-updated_at", "-id") if by_update else ("-created_at", "-id")
    return cases.order_by(*order)[offset : offset + size]


def _paging(params: dict[str, str]) -> tuple[int, int]:
    """The de-facto `page` / `page_size` extension; without them, the standard's 1,000 cap."""
    try:
        page = int(params.get("page") or 1)
        size = int(params.get("page_size") or MAX_RESULTS)
    except ValueError:
        raise BadRequest(_("page and page_size must be whole numbers")) from None
    if page < 1 or page > 100_000 or not 1 <= size <= MAX_RESULTS:
        raise BadRequest(
            _("page must be 1 or more and page_size between 1 and %(max)d") % {"max": MAX_RESULTS}
        )
    return page, size
