"""/api/v1/search: the same search the pages use, as JSON."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from cityhall.search.queries import MAX_QUERY_LENGTH, profile_context, search_catalog

router = Router(tags=["search"], auth=None)


class SearchQuery(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_QUERY_LENGTH)
    lang: Literal["en", "es"] = "en"
    limit: int = Field(10, ge=1, le=50)


class SuggestQuery(Schema):
    q: str = Field(..., min_length=1, max_length=MAX_QUERY_LENGTH)
    lang: Literal["en", "es"] = "en"


class ResultOut(Schema):
    type: Literal["service", "article", "life_event"]
    id: int
    title: str
    url: str
    snippet: str
    score: float


class SearchOut(Schema):
    query: str
    results: list[ResultOut]
    did_you_mean: str | None
    suggestions: list[ResultOut] = []


def _context(request: HttpRequest) -> dict:
    return profile_context(getattr(request, "profile", None))


@router.get("", response=SearchOut, summary="Search services, answers and life events")
def search(request: HttpRequest, params: Query[SearchQuery]) -> Any:
    return search_catalog(params.q, lang=params.lang, limit=params.limit, **_context(request))


@router.get("/suggest", response=list[ResultOut], summary="Instant results as the user types")
def suggest(request: HttpRequest, params: Query[SuggestQuery]) -> Any:
    return search_catalog(
        params.q, lang=params.lang, limit=6, prefix=True, **_context(request)
    ).results
