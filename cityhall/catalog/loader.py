"""Load the catalog content (services, articles, life events, synonyms) from content/*.json.

Idempotent: rows are matched by slug and updated in place, so running it again changes
nothing that is already there. Staff edits made later through revisions are kept, because
items that already have a published revision are left alone.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from django.db import transaction

from cityhall.catalog.models import (
    Article,
    ContentRevision,
    LifeEvent,
    LifeEventStep,
    Service,
    ServiceType,
)
from cityhall.org.actions import load_departments
from cityhall.org.models import Department
from cityhall.places.models import Neighbourhood
from cityhall.search.models import LocalInterest, SynonymGroup

CONTENT_DIR = Path(__file__).resolve().parent / "content"
DEMO_DATA = Path(__file__).resolve().parent.parent / "demo" / "data"
POPULARITY = DEMO_DATA / "request_type_popularity.json"
LOCAL_LIFT = DEMO_DATA / "request_type_local_lift.json"

GROUP_TOPICS = {
    "Animals & pests": "health",
    "Bills, taxes & fines": "taxes",
    "Businesses & licences": "business",
    "Graffiti & illegal signs": "streets",
    "Health & safety": "safety",
    "Homelessness": "housing",
    "Housing & buildings": "housing",
    "Noise": "safety",
    "Other": "",
    "Parks & trees": "parks",
    "Questions & feedback": "",
    "Street lights & signals": "streets",
    "Streets & sidewalks": "streets",
    "Trash & recycling": "trash",
    "Vehicles & parking": "transit",
    "Water & sewer": "environment",
}
TEXT_KEYS = [
    "title_en",
    "title_es",
    "summary_en",
    "summary_es",
    "eligibility_en",
    "eligibility_es",
    "fees_en",
    "fees_es",
    "duration_en",
    "duration_es",
]
LIST_KEYS = ["steps_en", "steps_es", "documents_en", "documents_es", "keywords_en", "keywords_es"]


def _read(name: str) -> Any:
    path = CONTENT_DIR / name
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else []


def _edited(kind: str, pk: int) -> bool:
    return ContentRevision.objects.filter(kind=kind, object_id=pk, status="published").exists()


def _upsert(model: Any, kind: str, slug: str, values: dict[str, Any]) -> tuple[Any, bool]:
    item = model.objects.filter(slug=slug).first()
    if item is None:
        return model.objects.create(slug=slug, **values), True
    if not _edited(kind, item.pk):
        changed = [k for k, v in values.items() if getattr(item, k) != v]
        for key in changed:
            setattr(item, key, values[key])
        if changed:
            item.save(update_fields=changed)
    return item, False


@transaction.atomic
def load_catalog() -> dict[str, int]:
    created = {"departments": 0, "services": 0, "articles": 0, "life events": 0, "synonyms": 0}
    created["departments"] = load_departments(actor=None, items=_read("departments_extra.json"))
    departments = {d.code: d for d in Department.objects.all()}
    popularity = json.loads(POPULARITY.read_text()) if POPULARITY.exists() else {}
    texts = _read("request_type_texts.json") or {}

    for request_type in ServiceType.objects.select_related("department"):
        text = texts.get(request_type.code, {})
        values = {
            "department": request_type.department,
            "request_type": request_type,
            "topic": GROUP_TOPICS.get(request_type.group_en, ""),
            "personas": ["resident"],
            "title_en": request_type.name_en,
            "title_es": request_type.name_es,
            "summary_en": text.get("summary_en") or f"Report it: {request_type.name_en}.",
            "summary_es": text.get("summary_es") or f"Repórtelo: {request_type.name_es}.",
            "keywords_en": text.get("keywords_en", []),
            "keywords_es": text.get("keywords_es", []),
            "channels": [
                {
                    "kind": "request",
                    "label_en": "Report it",
                    "label_es": "Reportarlo",
                    "request_type": request_type.code,
                }
            ],
            "duration_en": f"Usually within {request_type.sla_days} days"
            if request_type.sla_days
            else "",
            "duration_es": f"Normalmente en {request_type.sla_days} días"
            if request_type.sla_days
            else "",
            "popularity": float(popularity.get(request_type.code, 0.0)),
        }
        _, new = _upsert(Service, "service", request_type.code[:120], values)
        created["services"] += int(new)

    services_data = _read("services.json")
    for item in services_data:
        values = {k: item.get(k, "") or "" for k in TEXT_KEYS}
        values.update({k: item.get(k) or [] for k in LIST_KEYS})
        values.update(
            department=departments[item["department"]],
            topic=item.get("topic") or "",
            personas=item.get("personas") or [],
            channels=item.get("channels") or [],
            season=item.get("season") or "",
            popularity=float(item.get("popularity", 0.6)),
        )
        _, new = _upsert(Service, "service", item["slug"], values)
        created["services"] += int(new)
    by_slug = {s.slug: s for s in Service.objects.all()}
    for item in services_data:
        service = by_slug[item["slug"]]
        service.related.set([by_slug[s] for s in item.get("related", []) if s in by_slug])

    for item in _read("articles.json"):
        values = {
            k: item.get(k) or ("" if not k.startswith("keywords") else [])
            for k in ["title_en", "title_es", "body_en", "body_es", "keywords_en", "keywords_es"]
        }
        values.update(
            topic=item.get("topic") or "",
            personas=item.get("personas") or [],
            season=item.get("season") or "",
            popularity=float(item.get("popularity", 0.4)),
        )
        article, new = _upsert(Article, "article", item["slug"], values)
        related = [by_slug[s] for s in item.get("related_services", []) if s in by_slug]
        if related:
            article.related_services.set(related)
        created["articles"] += int(new)

    for position, item in enumerate(_read("life_events.json")):
        values = {
            k: item.get(k) or ("" if not k.startswith("keywords") else [])
            for k in [
                "title_en",
                "title_es",
                "summary_en",
                "summary_es",
                "keywords_en",
                "keywords_es",
            ]
        }
        values.update(personas=item.get("personas") or [], position=position, popularity=0.8)
        event, new = _upsert(LifeEvent, "life_event", item["slug"], values)
        created["life events"] += int(new)
        if new or not event.steps.exists():
            event.steps.all().delete()
            for number, step in enumerate(item.get("steps", []), start=1):
                step_service = by_slug.get(step["service"])
                if step_service is not None:
                    LifeEventStep.objects.create(
                        life_event=event,
                        position=number,
                        service=step_service,
                        note_en=step.get("note_en", "")[:300],
                        note_es=step.get("note_es", "")[:300],
                    )

    lifts = json.loads(LOCAL_LIFT.read_text()) if LOCAL_LIFT.exists() else {}
    places = dict(Neighbourhood.objects.values_list("slug", "pk"))
    known = set(LocalInterest.objects.values_list("neighbourhood_id", "service_id"))
    LocalInterest.objects.bulk_create(
        [
            LocalInterest(neighbourhood_id=places[slug], service_id=by_slug[code].pk, lift=lift)
            for slug, by_type in lifts.items()
            if slug in places
            for code, lift in by_type.items()
            if code in by_slug and (places[slug], by_slug[code].pk) not in known
        ]
    )

    existing = {tuple(sorted(g.terms)) for g in SynonymGroup.objects.all()}
    for group in _read("synonyms.json"):
        terms = [t.strip().lower() for t in group["terms"] if t.strip()]
        if len(terms) >= 2 and tuple(sorted(terms)) not in existing:
            SynonymGroup.objects.create(terms=terms)
            existing.add(tuple(sorted(terms)))
            created["synonyms"] += 1
    return created
