"""The per-process search index: built from published catalog content, rebuilt when the
shared version in the database changes, so every gunicorn worker serves the same answers."""

from __future__ import annotations

import threading
import time

from django.conf import settings
from django.db import connection, transaction

from cityhall.search.engine import IndexDoc, SearchEngine
from cityhall.search.models import IndexState, SynonymGroup

_lock = threading.Lock()
_engine: SearchEngine | None = None
_version: int | None = None
_checked_at = 0.0


def _join(*parts: object) -> str:
    out: list[str] = []
    for part in parts:
        if isinstance(part, list | tuple):
            out.extend(str(p) for p in part)
        elif part:
            out.append(str(part))
    return "\n".join(out)


def _snippet(text: str, limit: int = 180) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def build_documents() -> list[IndexDoc]:
    from cityhall.catalog.models import Article, LifeEvent, Service

    docs: list[IndexDoc] = []
    services = Service.objects.filter(is_published=True).select_related(
        "department", "request_type"
    )
    for s in services.order_by("pk"):
        descriptor_names = {
            lang: [d.get(f"name_{lang}", "") for d in (s.request_type.descriptors or [])]
            if s.request_type
            else []
            for lang in ("en", "es")
        }
        docs.append(
            IndexDoc(
                key=f"service:{s.pk}",
                kind="service",
                object_id=s.pk,
                url=s.get_absolute_url(),
                title={"en": s.title_en, "es": s.title_es},
                snippet={"en": _snippet(s.summary_en), "es": _snippet(s.summary_es)},
                fields={
                    "title": {"en": s.title_en, "es": s.title_es},
                    "keywords": {"en": _join(s.keywords_en), "es": _join(s.keywords_es)},
                    "summary": {"en": s.summary_en, "es": s.summary_es},
                    "body": {
                        "en": _join(s.eligibility_en, s.steps_en, s.department.name_en),
                        "es": _join(s.eligibility_es, s.steps_es, s.department.name_es),
                    },
                    # Sub-types of a request ("Trash/garbage in taxi"): a weak signal.
                    "related": {
                        "en": _join(descriptor_names["en"]),
                        "es": _join(descriptor_names["es"]),
                    },
                },
                popularity=s.popularity,
                season=s.season,
                personas=tuple(s.personas),
                topic=s.topic,
            )
        )
    for a in Article.objects.filter(is_published=True).order_by("pk"):
        docs.append(
            IndexDoc(
                key=f"article:{a.pk}",
                kind="article",
                object_id=a.pk,
                url=a.get_absolute_url(),
                title={"en": a.title_en, "es": a.title_es},
                snippet={"en": _snippet(a.body_en), "es": _snippet(a.body_es)},
                fields={
                    "title": {"en": a.title_en, "es": a.title_es},
                    "keywords": {"en": _join(a.keywords_en), "es": _join(a.keywords_es)},
                    "body": {"en": a.body_en, "es": a.body_es},
                },
                popularity=a.popularity,
                season=a.season,
                personas=tuple(a.personas),
                topic=a.topic,
            )
        )
    events = LifeEvent.objects.filter(is_published=True).prefetch_related("steps__service")
    for e in events.order_by("pk"):
        steps = list(e.steps.all())
        docs.append(
            IndexDoc(
                key=f"life_event:{e.pk}",
                kind="life_event",
                object_id=e.pk,
                url=e.get_absolute_url(),
                title={"en": e.title_en, "es": e.title_es},
                snippet={"en": _snippet(e.summary_en), "es": _snippet(e.summary_es)},
                fields={
                    "title": {"en": e.title_en, "es": e.title_es},
                    "keywords": {"en": _join(e.keywords_en), "es": _join(e.keywords_es)},
                    "summary": {"en": e.summary_en, "es": e.summary_es},
                    # The path's services, weakly: "food truck permit" should find the permit
                    # itself first, and the "opening a food business" path after it.
                    "related": {
                        "en": _join([st.service.title_en for st in steps]),
                        "es": _join([st.service.title_es for st in steps]),
                    },
                },
                popularity=e.popularity,
                personas=tuple(e.personas),
            )
        )
    return docs


def synonym_groups() -> list[list[str]]:
    return [list(g.terms) for g in SynonymGroup.objects.filter(is_active=True)]


def build_engine() -> SearchEngine:
    return SearchEngine(build_documents(), synonym_groups())


def shared_version() -> int:
    state = IndexState.objects.filter(pk=1).only("version").first()
    return state.version if state else 0


def current_engine() -> SearchEngine:
    """This process's engine, rebuilt if another process (or a publish) moved the version."""
    global _engine, _version, _checked_at
    now = time.monotonic()
    interval = getattr(settings, "SEARCH_INDEX_CHECK_SECONDS", 1.0)
    if _engine is not None and now - _checked_at < interval:
        return _engine
    version = shared_version()
    with _lock:
        if _engine is None or version != _version:
            if connection.vendor == "sqlite":
                # SQLite reads are already a consistent snapshot, and our transactions start
                # with BEGIN IMMEDIATE, which would block writers for the whole build.
                _engine = build_engine()
            else:
                with transaction.atomic():  # one consistent snapshot of the catalog
                    _engine = build_engine()
            _version = version
        _checked_at = now
        return _engine


def forget() -> None:
    """Drop this process's index (tests)."""
    global _engine, _version, _checked_at
    with _lock:
        _engine, _version, _checked_at = None, None, 0.0
