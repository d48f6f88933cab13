"""/api/v1/me/notifications: a resident's inbox and message choices, for apps."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from cityhall.notifications import actions, queries
from cityhall.notifications.models import Message

router = Router(tags=["notifications"])


class MessageOut(Schema):
    id: int
    kind: str
    subject: str
    body: str
    link: str
    created_at: dt.datetime
    read: bool


class ReadIn(Schema):
    ids: list[int] = Field(default_factory=list, max_length=500)


class ReadOut(Schema):
    marked: int


class ChannelsIn(Schema):
    email: bool
    sms: bool
    inbox: bool


class PreferenceOut(ChannelsIn):
    kind: str


def _words(message: Message) -> tuple[str, str]:
    campaign = message.campaign
    if campaign is None:
        return message.subject, message.body
    language = message.language if message.language in ("en", "es") else "en"
    return getattr(campaign, f"subject_{language}"), getattr(campaign, f"body_{language}")


@router.get("", response=list[MessageOut], summary="My inbox, newest first")
def inbox(request: HttpRequest, unread: bool = False, limit: int = 50) -> list[dict[str, Any]]:
    messages = queries.inbox(request.user)
    if unread:
        messages = messages.filter(read_at__isnull=True)
    found = []
    for message in messages[: max(1, min(limit, 100))]:
        subject, body = _words(message)
        found.append(
            {
                "id": message.pk,
                "kind": message.kind,
                "subject": subject,
                "body": body,
                "link": message.link,
                "created_at": message.created_at,
                "read": message.read_at is not None,
            }
        )
    return found


@router.post("/read", response=ReadOut, summary="Mark messages as read (all unread if none given)")
def mark_read(request: HttpRequest, payload: ReadIn) -> dict[str, int]:
    ids = payload.ids or list(
        queries.inbox(request.user).filter(read_at__isnull=True).values_list("pk", flat=True)
    )
    return {"marked": actions.mark_read(actor=request.user, message_ids=ids)}


@router.get("/preferences", response=list[PreferenceOut], summary="Channels per kind")
def preferences(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {"kind": str(kind), **channels}
        for kind, channels in queries.channel_choices(request.user).items()
    ]


@router.put("/preferences/{kind}", response=PreferenceOut, summary="Choose channels for a kind")
def set_preference(request: HttpRequest, kind: str, payload: ChannelsIn) -> dict[str, Any]:
    chosen = actions.set_kind_preference(actor=request.user, kind=kind, **payload.dict())
    return {"kind": chosen.kind, "email": chosen.email, "sms": chosen.sms, "inbox": chosen.inbox}
