"""Open311 GeoReport v2: discovery, services, service definitions, requests, tokens.
Paths end in .json or .xml as the standard has them; errors are lists of code/description."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from cityhall.cases.actions import submit_case
from cityhall.cases.models import Channel
from cityhall.open311 import queries, tokens
from cityhall.open311.actions import key_is_valid
from cityhall.open311.formats import error, render

FORMATS = {"json", "xml"}


def _check(request: HttpRequest, fmt: str) -> HttpResponse | None:
    if fmt not in FORMATS:
        return error(400, _("Format must be json or xml."), "json")
    # From the query, or from a POST's form body; an empty value is the same as none.
    jurisdiction = (
        request.GET.get("jurisdiction_id", "")
        or (request.POST.get("jurisdiction_id", "") if request.method == "POST" else "")
    ).strip()
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
        return error(404, _("Unknown jurisdiction_id %(value)r.") % {"value": jurisdiction}, fmt)
    return None


@require_GET
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    base = request.build_absolute_uri("/open311/v2/")
    return render(
        {
            "changeset": "2026-11-23T00:00:00-05:00",
            "contact": f"{settings.CITY_NAME} 311, via this site",
            "key_service": request.build_absolute_uri("/api/v1/docs"),
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": "2026-11-23T00:00:00-05:00",
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        "discovery",
        fmt,
    )


@require_GET
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    return render(queries.service_list(), "services", fmt)


@require_GET
def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    definition = queries.service_definition(code)
    if definition is None:
        return error(404, _("Unknown service_code %(value)r.") % {"value": code}, fmt)
    return render(definition, "definition", fmt)


@csrf_exempt  # partners authenticate with an API key, not a browser session
@require_http_methods(["GET", "POST"])
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    if request.method == "POST":
        return _create(request, fmt)
    params = request.GET.dict()
    try:
        rows = queries.as_requests(
            queries.find_requests(params), extensions=queries.wants_extensions(params)
        )
    except queries.BadRequest as problem_text:
        return error(400, str(problem_text), fmt)
    return render(rows, "requests", fmt)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    try:
        extensions = queries.wants_extensions(request.GET.dict())
    except queries.BadRequest as problem_text:
        return error(400, str(problem_text), fmt)
    rows = queries.as_requests(
        queries.find_requests({"service_request_id": request_id}), extensions=extensions
    )
    if not rows:
        return error(404, _("Unknown service_request_id %(value)r.") % {"value": request_id}, fmt)
    return render(rows[:1], "requests", fmt)


@require_GET
def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    """GET /tokens/{token}: the request id a POST's token stands for."""
    if (problem := _check(request, fmt)) is not None:
        return problem
    request_id = tokens.request_id_for(token)
    if request_id is None:
        return error(404, _("Unknown token %(value)r.") % {"value": token}, fmt)
    return render([{"service_request_id": request_id, "token": token}], "requests", fmt)


def _float(value: str | None) -> float | None:
    try:
        return float(value) if value not in (None, "") else None
    except ValueError:
        raise ValidationError({"lat": [_("lat and long must be numbers.")]}) from None


def _create(request: HttpRequest, fmt: str) -> HttpResponse:
    """POST /requests: form-encoded, api_key in the query or the body (the standard's way)."""
    data = request.POST
    api_key = data.get("api_key") or request.GET.get("api_key", "")
    if not key_is_valid(api_key):
        return error(403, _("A valid api_key is required."), fmt)
    code = data.get("service_code", "")
    # attribute[code]=value, as the service definition describes (multivaluelist repeats).
    answers = {
        key[len("attribute[") : -1]: ",".join(data.getlist(key))
        for key in data
        if key.startswith("attribute[") and key.endswith("]")
    }
    name = " ".join(p for p in (data.get("first_name", ""), data.get("last_name", "")) if p)
    try:
        case, _created = submit_case(
            actor=None,
            service_code=code,
            description=data.get("description", ""),
            channel=Channel.OPEN311,
            address_text=data.get("address_string", ""),
            lat=_float(data.get("lat")),
            lng=_float(data.get("long")),
            contact_email=data.get("email", ""),
            contact_phone=data.get("phone", ""),
            contact_name=name,
            answers=answers,
            media_url=data.get("media_url", ""),
            idempotency_key=request.headers.get("Idempotency-Key"),
            idempotency_scope=api_key,  # one partner's keys never meet another's
        )
    except ValidationError as problem:
        # submit_case checks the code itself (one query, not two): unknown is the standard's 404.
        if "service_code" in problem.message_dict:
            return error(404, _("Unknown service_code %(value)r.") % {"value": code}, fmt)
        messages = [m for field in problem.message_dict.values() for m in field]
        return error(400, " ".join(messages), fmt)
    # account_id is left out: the standard types it as a string, and we do not hand out
    # residents' account ids to partners.
    return render(
        [
            {
                "service_request_id": case.reference,
                "token": tokens.token_for(case.pk),
                "service_notice": "",
            }
        ],
        "requests",
        fmt,
        status=201,
    )
