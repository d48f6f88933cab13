"""Open311 GeoReport v2 (read side): discovery, services, service definitions, requests.
Paths end in .json or .xml as the standard has them; errors are lists of code/description."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from cityhall.open311 import queries
from cityhall.open311.formats import error, render

FORMATS = {"json", "xml"}


def _check(request: HttpRequest, fmt: str) -> HttpResponse | None:
    if fmt not in FORMATS:
        return error(400, "Format must be json or xml.", "json")
    jurisdiction = request.GET.get("jurisdiction_id", "").strip()
    if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
        return error(404, f"Unknown jurisdiction_id {jurisdiction!r}.", fmt)
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
        return error(404, f"Unknown service_code {code!r}.", fmt)
    return render(definition, "definition", fmt)


@require_GET
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    try:
        cases = list(queries.find_requests(request.GET.dict()))
    except queries.BadRequest as problem_text:
        return error(400, str(problem_text), fmt)
    return render([queries.as_request(c) for c in cases], "requests", fmt)


@require_GET
def request_detail(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    if (problem := _check(request, fmt)) is not None:
        return problem
    cases = list(queries.find_requests({"service_request_id": request_id}))
    if not cases:
        return error(404, f"Unknown service_request_id {request_id!r}.", fmt)
    return render([queries.as_request(cases[0])], "requests", fmt)
