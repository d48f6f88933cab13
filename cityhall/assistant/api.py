"""/api/v1/assistant: talk to the city's assistant from an app."""

from __future__ import annotations

import uuid
from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema
from ninja.responses import Status
from ninja.utils import check_csrf

from cityhall.assistant import actions

router = Router(tags=["assistant"])


class MessageIn(Schema):
    conversation: uuid.UUID | None = None
    text: str = Field(..., max_length=20_000)
    lang: Literal["en", "es"] | None = None


class LinkOut(Schema):
    title: str
    url: str


class ReplyOut(Schema):
    text: str
    intent: str
    links: list[LinkOut]
    handoff: bool


class ConversationReplyOut(Schema):
    conversation: uuid.UUID
    reply: ReplyOut


class ErrorOut(Schema):
    detail: str
    errors: dict[str, list[str]] = {}


@router.post(
    "/messages",
    auth=None,
    response={200: ConversationReplyOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
    summary="Send a message; start a conversation with conversation=null",
)
def post_message(request: HttpRequest, payload: MessageIn) -> Any:
    """Anyone may ask. A signed-in browser session talks as that resident (their own requests,
    their saved address) and, like every session write, needs the CSRF token. Send an
    Idempotency-Key header to retry a message safely. While a person has the conversation,
    the reply text is empty until they answer."""
    if request.user.is_authenticated and check_csrf(request) is not None:
        return Status(403, {"detail": "CSRF check failed."})
    conversation, turn = actions.send_message(
        actor=request.user,
        conversation_id=payload.conversation,
        text=payload.text,
        lang=payload.lang,
        channel="api",
        client_key=request.headers.get("Idempotency-Key", ""),
        site_url=request.build_absolute_uri("/").rstrip("/"),
    )
    reply = {
        "text": turn.text if turn else "",
        "intent": turn.intent if turn else "with_agent",
        "links": turn.links if turn else [],
        "handoff": turn.handoff if turn else True,
    }
    return {"conversation": conversation.public_id, "reply": reply}
