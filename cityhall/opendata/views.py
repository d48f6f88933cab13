"""Open data pages: the list of datasets with the data dictionary, the DCAT-US catalog and
the published files. No login."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from cityhall.opendata import queries


def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {"publication": queries.latest_publication(), "dictionary": queries.dictionary()},
    )


def catalog(request: HttpRequest) -> JsonResponse:
    base = f"{request.scheme}://{request.get_host()}"
    response = JsonResponse(queries.catalog(base), json_dumps_params={"indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def published_file(request: HttpRequest, name: str) -> FileResponse:
    path, content_type = queries.published_file(name)
    response = FileResponse(path.open("rb"), content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{path.name}"'
    response["Access-Control-Allow-Origin"] = "*"
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response
