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
# Per variant (with or without residents' questions): the engine, its version, last check.
_engines: dict[bool, tuple[SearchEngine, int, float]] = {}


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


def build_documents(*, with_questions: bool = True) -> list[IndexDoc]:
    """Every published service, article and life event. `with_questions` adds to each article
    the questions residents ask that it answers (the assistant's hand-written examples): the
    site's search learns residents' words from them; the assistant's own retrieval leaves them
    out, so its evidence never counts its training examples twice."""
    from cityhall.assistant.nlu import questions_by_article
    from cityhall.catalog.models import Article, LifeEvent, Service

    asked = questions_by_article() if with_questions else {}

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
                    # Questions residents ask that this article answers, in their words.
                    "asked": {
                        lang: _join([q.text for q in asked.get(a.slug, []) if q.lang == lang])
                        for lang in ("en", "es")
                    },
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


def build_engine(*, with_questions: bool = True) -> SearchEngine:
    return SearchEngine(build_documents(with_questions=with_questions), synonym_groups())


def shared_version() -> int:
    state = IndexState.objects.filter(pk=1).only("version").first()
    return state.version if state else 0


def current_engine(*, with_questions: bool = True) -> SearchEngine:
    """This process's engine, rebuilt if another process (or a publish) moved the version."""
    now = time.monotonic()
    interval = getattr(settings, "SEARCH_INDEX_CHECK_SECONDS", 1.0)
    known = _engines.get(with_questions)
    if known is not None and now - known[2] < interval:
        return known[0]
    version = shared_version()
    with _lock:
        known = _engines.get(with_questions)
        if known is None or version != known[1]:
            if connection.vendor == "sqlite":
                # SQLite reads are already a consistent snapshot, and our transactions start
                # with BEGIN IMMEDIATE, which would block writers for the whole build.
                engine = build_engine(with_questions=with_questions)
            else:
                with transaction.atomic():  # one consistent snapshot of the catalog
                    engine = build_engine(with_questions=with_questions)
        else:
            engine = known[0]
        _engines[with_questions] = (engine, version, now)
        return engine


def forget() -> None:
    """Drop this process's index (tests)."""
    with _lock:
        _engines.clear()
