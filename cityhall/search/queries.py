"""Searching the catalog, shared by the pages, the API and (later) the assistant."""

from __future__ import annotations

import datetime as dt
import re
import threading
import time
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from cityhall.core.logging import scrub
from cityhall.search.actions import search_counter
from cityhall.search.engine import Hit, SearchContext
from cityhall.search.index import current_engine
from cityhall.search.models import ClickStat, LocalInterest, QueryStat
from cityhall.search.text import words

MAX_QUERY_LENGTH = 200
MIN_SEARCHES_SHOWN = 3
SEASONS_BY_MONTH = {
    "tax": {1, 2, 3, 4},
    "snow": {12, 1, 2, 3},
    "election": {9, 10, 11},
    "summer": {6, 7, 8},
    "school": {8, 9},
    "heat": {6, 7, 8, 9},
}


@dataclass
class Result:
    type: str
    id: int
    title: str
    url: str
    snippet: str
    score: float
    key: str


@dataclass
class SearchResponse:
    query: str
    results: list[Result] = field(default_factory=list)
    did_you_mean: str | None = None
    suggestions: list[Result] = field(default_factory=list)


def profile_context(profile: Any) -> dict[str, Any]:
    """What the active profile tells search: personas and home neighbourhood."""
    if profile is None:
        return {}
    home = profile.addresses.select_related("address").first()
    return {
        "personas": list(profile.personas),
        "neighbourhood_id": home.address.neighbourhood_id if home else None,
    }


def normalise_query(query: str) -> str:
    return " ".join(words(query[: MAX_QUERY_LENGTH * 4]))[:MAX_QUERY_LENGTH]


_DIGITS = re.compile(r"\d{4,}")


def analytics_key(query: str) -> str:
    """The normalised query as analytics keep it: emails, phone numbers and other long numbers
    (case numbers, account numbers) are masked before anything is stored."""
    return _DIGITS.sub("#", scrub(" ".join(query.split()))).lower()[:MAX_QUERY_LENGTH]


def seasons_on(day: dt.date) -> frozenset[str]:
    return frozenset(name for name, months in SEASONS_BY_MONTH.items() if day.month in months)


_click_cache: dict[str, dict[str, float]] = {}
_click_loaded_at = 0.0
_click_lock = threading.Lock()


def learned_boosts(query: str, refresh_seconds: float = 60.0) -> dict[str, float]:
    """Clicked results for this query, as a 0–0.4 ranking boost (cached per process)."""
    global _click_cache, _click_loaded_at
    if time.monotonic() - _click_loaded_at > refresh_seconds:
        with _click_lock:
            cache: dict[str, dict[str, float]] = {}
            now = timezone.now()
            for stat in ClickStat.objects.filter(weight__gt=0.05).iterator():
                age = (now - stat.updated_at).total_seconds() / 86400
                weight = stat.weight * 0.5 ** (age / 30.0)
                cache.setdefault(stat.query, {})[stat.doc_key] = 0.4 * weight / (weight + 3.0)
            _click_cache, _click_loaded_at = cache, time.monotonic()
    return _click_cache.get(query, {})


_local_cache: dict[int, dict[str, float]] = {}


def local_boosts(neighbourhood_id: int | None) -> dict[str, float]:
    """Services this neighbourhood asks for more than the city does, as a 0–0.15 boost."""
    if not neighbourhood_id:
        return {}
    cached = _local_cache.get(neighbourhood_id)
    if cached is None:
        cached = {
            f"service:{service_id}": 0.15 * min(lift, 4.0) / 4.0
            for service_id, lift in LocalInterest.objects.filter(
                neighbourhood_id=neighbourhood_id
            ).values_list("service_id", "lift")
        }
        if len(_local_cache) > 1000:
            _local_cache.clear()
        _local_cache[neighbourhood_id] = cached
    return cached


def forget_learned_boosts() -> None:
    global _click_loaded_at
    _click_loaded_at = 0.0
    _local_cache.clear()


def _result(hit: Hit, lang: str) -> Result:
    doc = hit.doc
    return Result(
        type=doc.kind,
        id=doc.object_id,
        title=doc.title.get(lang) or doc.title["en"],
        url=doc.url,
        snippet=doc.snippet.get(lang) or doc.snippet.get("en", ""),
        score=round(hit.score, 4),
        key=doc.key,
    )


def popular(lang: str, limit: int = 6) -> list[Result]:
    engine = current_engine()
    ranked = sorted(
        (d for d in engine.docs if d.kind in ("life_event", "service")),
        key=lambda d: (d.kind != "life_event", -d.popularity, d.key),
    )
    return [_result(Hit(d, d.popularity, 0.0), lang) for d in ranked[:limit]]


def search_catalog(
    query: str,
    *,
    lang: str = "en",
    limit: int = 10,
    personas: list[str] | None = None,
    neighbourhood_id: int | None = None,
    prefix: bool = False,
    record: bool = True,
    today: dt.date | None = None,
    with_questions: bool = True,
) -> SearchResponse:
    """`with_questions=False` searches without the assistant's example questions (the
    assistant's own retrieval, see `index.build_documents`)."""
    lang = "es" if lang == "es" else "en"
    normalised = normalise_query(query)
    response = SearchResponse(query=query.strip()[:MAX_QUERY_LENGTH])
    if not normalised:
        response.suggestions = popular(lang)
        return response
    engine = current_engine(with_questions=with_questions)
    context = SearchContext(
        seasons=seasons_on(today or timezone.localdate()),
        personas=frozenset(personas or ()),
        clicked=learned_boosts(analytics_key(query)),
        local=local_boosts(neighbourhood_id),
    )
    hits = engine.search(normalised, limit=limit, prefix=prefix, context=context)
    response.results = [_result(h, lang) for h in hits]
    if not prefix:
        correction = engine.did_you_mean(normalised)
        if correction and correction != normalised:
            response.did_you_mean = correction
        if not hits:
            if correction:
                fixed = engine.search(correction, limit=limit, context=context)
                response.suggestions = [_result(h, lang) for h in fixed]
            if not response.suggestions:
                response.suggestions = popular(lang)
        if record:
            search_counter.add(analytics_key(query), lang, found=bool(hits))
    return response


def weekly_stats(weeks: int = 8) -> dict[str, Any]:
    """Search analytics for staff: top queries, no-result queries, click-through, trend."""
    since = timezone.localdate() - dt.timedelta(weeks=weeks)
    stats: QuerySet[QueryStat] = QueryStat.objects.filter(week__gte=since)
    by_query = (
        stats.values("query")
        .annotate(searches=Sum("searches"), zero=Sum("zero_results"), clicks=Sum("clicks"))
        .order_by("-searches", "query")
    )
    # A query is shown only once several searches made it: one person's unusual search (which
    # may name them) stays out of the staff view.
    shown = by_query.filter(searches__gte=MIN_SEARCHES_SHOWN)
    top = list(shown[:25])
    no_results = list(shown.filter(zero__gt=0).order_by("-zero", "query")[:25])
    no_clicks = list(shown.filter(clicks=0, zero=0).order_by("-searches", "query")[:25])
    trend = list(
        stats.values("week")
        .annotate(searches=Sum("searches"), zero=Sum("zero_results"), clicks=Sum("clicks"))
        .order_by("week")
    )
    totals = stats.aggregate(searches=Sum("searches"), clicks=Sum("clicks"))
    searches = totals["searches"] or 0
    return {
        "top": top,
        "no_results": no_results,
        "no_clicks": no_clicks,
        "trend": trend,
        "searches": searches,
        "click_through": (totals["clicks"] or 0) / searches if searches else 0.0,
    }
