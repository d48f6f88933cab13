"""/api/v1/me/suggestions: the active profile's "For you" list, and dismissing from it."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema

from cityhall.personalization import actions, queries

router = Router(tags=["suggestions"])


class SuggestionOut(Schema):
    key: str = Field(description='"service:<slug>" or "journey:<life event slug>"')
    kind: str
    title: str
    url: str
    reason: str = Field(description="Why it is suggested, in the resident's language.")
    reason_code: str = Field(
        description="journey_step, new_address, life_event, eligibility, history, season, "
        "neighbourhood, persona or city"
    )
    personal: bool = Field(description="True when it came from the profile's own history.")


class SuggestionsOut(Schema):
    personalised: bool = Field(description="Whether the account allows using its history.")
    suggestions: list[SuggestionOut]


class DismissIn(Schema):
    key: str = Field(min_length=1, max_length=140)


class DismissOut(Schema):
    key: str
    dismissed: bool
    created: bool


def _profile(request: HttpRequest) -> Any:
    profile = getattr(request, "profile", None)
    if profile is None:
        raise Http404
    return profile


class SuggestionsQuery(Schema):
    limit: int = Field(6, ge=1, le=20, description="How many suggestions (1-20).")


@router.get("", response=SuggestionsOut, summary="My suggestions, each with why")
def suggestions(request: HttpRequest, params: Query[SuggestionsQuery]) -> dict[str, Any]:
    found = queries.suggestions_for(_profile(request), limit=params.limit)
    return {
        "personalised": found.personalised,
        "suggestions": [s.__dict__ for s in found.items],
    }


@router.post("/dismissals", response=DismissOut, summary="Dismiss a suggestion (idempotent)")
def dismiss(request: HttpRequest, payload: DismissIn) -> dict[str, Any]:
    dismissal, created = actions.dismiss_suggestion(
        actor=request.user,  # type: ignore[arg-type]
        profile=_profile(request),
        key=payload.key,
    )
    return {"key": dismissal.key, "dismissed": True, "created": created}
