"""The search page (works without JavaScript), instant results for htmx, click tracking,
and search analytics for staff."""

from __future__ import annotations

import time

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import translation

from cityhall.personalization.actions import record_search, record_search_click
from cityhall.search import actions, queries
from cityhall.search.index import current_engine


def _lang() -> str:
    return "es" if (translation.get_language() or "en").startswith("es") else "en"


def _context(request: HttpRequest) -> dict:
    return queries.profile_context(getattr(request, "profile", None))


def search_page(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")
    too_long = len(raw) > queries.MAX_QUERY_LENGTH
    response = None
    if raw.strip() and not too_long:
        response = queries.search_catalog(raw, lang=_lang(), **_context(request))
        record_search(actor=request.user, profile=getattr(request, "profile", None), query=raw)
    return render(
        request,
        "search/results.html",
        {
            "q": raw[: queries.MAX_QUERY_LENGTH],
            "response": response,
            "too_long": too_long,
            "popular": queries.popular(_lang()) if response is None else [],
        },
        status=400 if too_long else 200,
    )


def suggest(request: HttpRequest) -> HttpResponse:
    raw = request.GET.get("q", "")[: queries.MAX_QUERY_LENGTH]
    results = []
    if raw.strip():
        results = queries.search_catalog(
            raw, lang=_lang(), limit=6, prefix=True, **_context(request)
        ).results
    return render(request, "search/_suggest.html", {"results": results, "q": raw})


CLICKS_PER_MINUTE = 30


def go(request: HttpRequest) -> HttpResponse:
    """Record which result was chosen for a query, then go there (only to our own pages).
    A click is learned only if that result really is among the query's results, and each
    visitor's clicks are rate limited, so ranking can't be pushed around from outside."""
    key = request.GET.get("to", "")
    doc = next((d for d in current_engine().docs if d.key == key), None)
    if doc is None:
        raise Http404
    raw = request.GET.get("q", "")[: queries.MAX_QUERY_LENGTH]
    if raw.strip() and _within_click_budget(request):
        shown = queries.search_catalog(raw, lang=_lang(), record=False).results
        if any(r.key == key for r in shown):
            actions.record_click(query=queries.analytics_key(raw), doc_key=key, lang=_lang())
    record_search_click(actor=request.user, profile=getattr(request, "profile", None), doc_key=key)
    return HttpResponseRedirect(doc.url)


def _within_click_budget(request: HttpRequest) -> bool:
    from django.core.cache import cache

    who = request.session.session_key or request.META.get("REMOTE_ADDR", "")
    bucket = f"search-clicks:{who}:{int(time.time() // 60)}"
    cache.add(bucket, 0, timeout=90)
    try:
        return cache.incr(bucket) <= CLICKS_PER_MINUTE
    except ValueError:
        return False


@login_required
def analytics(request: HttpRequest) -> HttpResponse:
    if not request.staff_roles:  # type: ignore[attr-defined]
        raise Http404
    actions.search_counter.flush()
    return render(request, "search/analytics.html", {"stats": queries.weekly_stats()})
