"""/api/v1/services and /api/v1/life-events: the published catalog as JSON."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from cityhall.catalog import queries
from cityhall.catalog.models import Service

router = Router(tags=["catalog"], auth=None)


class Lang(Schema):
    lang: Literal["en", "es"] = "en"


class ServiceListQuery(Lang):
    topic: str | None = Field(None, max_length=32)
    limit: int = Field(100, ge=1, le=500)
    offset: int = Field(0, ge=0, le=100_000)


class ServiceSummary(Schema):
    id: int
    slug: str
    title: str
    summary: str
    department: str
    topic: str
    url: str


class ChannelOut(Schema):
    kind: str
    label: str
    request_type: str | None = None


class ServiceOut(ServiceSummary):
    eligibility: str
    steps: list[str]
    documents: list[str]
    fees: str
    duration: str
    personas: list[str]
    season: str
    channels: list[ChannelOut]
    related: list[int]


class StepOut(Schema):
    position: int
    service_id: int
    title: str
    note: str
    url: str


class LifeEventOut(Schema):
    id: int
    slug: str
    title: str
    summary: str
    url: str
    steps: list[StepOut]


class ErrorOut(Schema):
    detail: str


def _pick(item: Any, name: str, lang: str) -> Any:
    return getattr(item, f"{name}_{lang}") or getattr(item, f"{name}_en")


def _summary(s: Service, lang: str) -> dict[str, Any]:
    return {
        "id": s.pk,
        "slug": s.slug,
        "title": _pick(s, "title", lang),
        "summary": _pick(s, "summary", lang),
        "department": s.department.code,
        "topic": s.topic,
        "url": s.get_absolute_url(),
    }


@router.get("/services", response=list[ServiceSummary], summary="Published services")
def list_services(request: HttpRequest, params: Query[ServiceListQuery]) -> Any:
    services = queries.published_services().order_by("pk")
    if params.topic:
        services = services.filter(topic=params.topic)
    page = services[params.offset : params.offset + params.limit]
    return [_summary(s, params.lang) for s in page]


@router.get("/services/{service_id}", response={200: ServiceOut, 404: ErrorOut})
def get_service(request: HttpRequest, service_id: int, params: Query[Lang]) -> Any:
    service = queries.published_services().filter(pk=service_id).first()
    if service is None:
        return Status(404, {"detail": "Not found."})
    lang = params.lang
    return {
        **_summary(service, lang),
        "eligibility": _pick(service, "eligibility", lang),
        "steps": _pick(service, "steps", lang),
        "documents": _pick(service, "documents", lang),
        "fees": _pick(service, "fees", lang),
        "duration": _pick(service, "duration", lang),
        "personas": service.personas,
        "season": service.season,
        "channels": [
            {
                "kind": c.get("kind", ""),
                "label": c.get(f"label_{lang}") or c.get("label_en", ""),
                "request_type": c.get("request_type"),
            }
            for c in service.channels
        ],
        "related": list(service.related.values_list("pk", flat=True)),
    }


@router.get("/life-events", response=list[LifeEventOut], summary="Life events and their paths")
def list_life_events(request: HttpRequest, params: Query[Lang]) -> Any:
    lang = params.lang
    events = queries.life_events().prefetch_related("steps__service")
    return [
        {
            "id": e.pk,
            "slug": e.slug,
            "title": _pick(e, "title", lang),
            "summary": _pick(e, "summary", lang),
            "url": e.get_absolute_url(),
            "steps": [
                {
                    "position": st.position,
                    "service_id": st.service_id,
                    "title": _pick(st.service, "title", lang),
                    "note": _pick(st, "note", lang),
                    "url": st.service.get_absolute_url(),
                }
                for st in e.steps.all()
                if st.service.is_published
            ],
        }
        for e in events
    ]
