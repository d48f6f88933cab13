"""Open311 GeoReport v2 wire formats: JSON, and XML with the standard's element names."""

from __future__ import annotations

import json
from typing import Any
from xml.sax.saxutils import escape

from django.http import HttpResponse

# Root and item element names for each kind of list the standard returns as XML.
XML_NAMES = {
    "services": ("services", "service"),
    "requests": ("service_requests", "request"),
    "errors": ("errors", "error"),
    "definition": ("service_definition", None),
    "discovery": ("discovery", None),
    "attributes": ("attributes", "attribute"),
    "values": ("values", "value"),
    "endpoints": ("endpoints", "endpoint"),
    "formats": ("formats", "format"),
}


def _xml_value(name: str, value: Any) -> str:
    if value is None:
        return f"<{name}></{name}>"
    if isinstance(value, bool):
        return f"<{name}>{'true' if value else 'false'}</{name}>"
    if isinstance(value, dict):
        return f"<{name}>{''.join(_xml_value(k, v) for k, v in value.items())}</{name}>"
    if isinstance(value, list):
        root, item = XML_NAMES.get(name, (name, name[:-1] if name.endswith("s") else name))
        inner = "".join(_xml_value(item or name, v) for v in value)
        return f"<{root}>{inner}</{root}>" if root else inner
    return f"<{name}>{escape(str(value))}</{name}>"


def render(data: Any, kind: str, fmt: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        root, item = XML_NAMES[kind]
        if isinstance(data, list):
            body = "".join(_xml_value(item or root or kind, row) for row in data)
            body = f"<{root}>{body}</{root}>"
        else:
            body = "".join(_xml_value(k, v) for k, v in data.items())
            body = f"<{root}>{body}</{root}>"
        return HttpResponse(
            '<?xml version="1.0" encoding="utf-8"?>' + body,
            content_type="text/xml; charset=utf-8",
            status=status,
        )
    return HttpResponse(
        json.dumps(data, ensure_ascii=False),
        content_type="application/json; charset=utf-8",
        status=status,
    )


def error(code: int, description: str, fmt: str) -> HttpResponse:
    return render([{"code": code, "description": description}], "errors", fmt, status=code)
