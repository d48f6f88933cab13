# ruff: noqa: S608 - the counter upsert names constant tables and columns; values are parameters
"""Every write of the assistant: a resident's message and its reply, a person's answer,
taking and closing a hand-off, and turning an unanswered question into an article draft.
Each runs in one transaction; counters are upserts, never counts of the conversations."""

from __future__ import annotations

import datetime as dt
import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.assistant import queries
from cityhall.assistant.dialogue import Context, Dialogue, Reply, understand
from cityhall.assistant.models import (
    Conversation,
    ConversationChannel,
    ConversationStatus,
    DailyStat,
    Speaker,
    Turn,
    UnansweredQuestion,
    UnansweredStatus,
)
from cityhall.audit.actions import record_read, record_write
from cityhall.core.text import clean
from cityhall.intake.text import guess_language
from cityhall.search.queries import analytics_key

MAX_STORED = 2000
LANGUAGES = ("en", "es")


def _count(channel: str, **increments: int) -> None:
    """Add to today's counters for a channel (insert or add, safe with concurrent writers)."""
    columns = ["conversations", "handed_off", "answered", "unanswered"]
    values = [int(increments.get(c, 0)) for c in columns]
    if not any(values):
        return
    table = DailyStat._meta.db_table
    day = connection.ops.adapt_datefield_value(timezone.localdate())
    updates = ", ".join(f"{c} = {table}.{c} + excluded.{c}" for c in columns)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (day, channel, {', '.join(columns)}) "
            f"VALUES (%s, %s, %s, %s, %s, %s) ON CONFLICT (day, channel) DO UPDATE SET {updates}",
            [day, channel, *values],
        )


def _remember_unanswered(text: str, language: str) -> None:
    key = analytics_key(text)[:200]
    if not key.strip():
        return
    updated = UnansweredQuestion.objects.filter(key=key).update(
        count=F("count") + 1, last_seen=timezone.now()
    )
    if not updated:
        try:
            with transaction.atomic():
                UnansweredQuestion.objects.create(
                    key=key, example=key[:300], language=language, count=1
                )
        except IntegrityError:  # created by a concurrent message: count this one too
            UnansweredQuestion.objects.filter(key=key).update(count=F("count") + 1)


def _language(text: str, asked: str | None, conversation: Conversation | None) -> str:
    if asked in LANGUAGES:
        return str(asked)
    guessed = guess_language(text)
    if guessed in LANGUAGES:
        return str(guessed)
    if conversation is not None:
        return conversation.language
    return translation.get_language() or "en"


def start_conversation(*, actor: Any, channel: str, language: str, phone: str = "") -> Conversation:
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Counted as started by its first message's counter upsert (`_converse`).
    return Conversation.objects.create(
        channel=channel, account=user, language=language, phone=phone
    )


def send_message(
    *,
    actor: Any,
    conversation_id: Any,
    text: str,
    lang: str | None = None,
    channel: str = ConversationChannel.WEB,
    client_key: str = "",
    photos: list[Any] | None = None,
    site_url: str = "",
) -> tuple[Conversation, Turn | None]:
    """Take a resident's message (web chat or app) and answer it. A retried message with the
    same `client_key` returns the first reply. With a person on the conversation, the
    message waits for them and the assistant says nothing more."""
    if channel not in (ConversationChannel.WEB, ConversationChannel.API):
        raise ValidationError({"channel": [_("Unknown channel.")]})
    if lang not in (None, "", *LANGUAGES):
        raise ValidationError({"lang": [_("Use “en” or “es”.")]})
    text = clean(text or "").strip()
    client_key = (client_key or "").strip()[:64]
    found = queries.conversation_for_resident(conversation_id, actor) if conversation_id else None
    # Understanding the words is the slow, read-only part: done before the transaction, so
    # the write lock (SQLite) or row lock is held only for the writes.
    language = _language(text, lang, found)
    guess = None
    if text and (found is None or queries.takes_fresh_questions(found)):
        guess = understand(text, language)
    with transaction.atomic():
        started = found is None
        if found is not None:
            conversation = Conversation.objects.select_for_update().get(pk=found.pk)
            if conversation.status == ConversationStatus.CLOSED:
                conversation.status = ConversationStatus.ACTIVE
        else:
            conversation = start_conversation(actor=actor, channel=channel, language=language)
        if client_key:
            previous = conversation.turns.filter(client_key=client_key).first()
            if previous is not None:
                return conversation, getattr(previous, "reply", None)
        if text:
            conversation.language = language
        context = Context(
            user=actor,
            site_url=site_url,
            idempotency_key=client_key or uuid.uuid4().hex,
            photos=photos or [],
            guess=guess,
        )
        reply = _converse(conversation, text, context, client_key=client_key, started=started)
        return conversation, reply


def _converse(
    conversation: Conversation,
    text: str,
    context: Context,
    *,
    client_key: str = "",
    started: bool = False,
) -> Turn | None:
    """Store the resident's turn, decide the reply (unless a person has the conversation),
    store it, and count what happened."""
    stored = text[:MAX_STORED] or "…"
    conversation.last_message_at = timezone.now()
    if conversation.status in (ConversationStatus.WAITING, ConversationStatus.WITH_AGENT):
        conversation.save()
        asked = Turn.objects.create(
            conversation=conversation, speaker=Speaker.RESIDENT, text=stored, client_key=client_key
        )
        waiting = conversation.status == ConversationStatus.WAITING
        with translation.override(conversation.language):
            words = _("Thanks. A person will answer here soon.") if waiting else ""
        if not words:
            return None
        return Turn.objects.create(
            conversation=conversation,
            speaker=Speaker.ASSISTANT,
            text=words,
            intent="waiting",
            reply_to=asked,
            handoff=True,
        )
    was_handed_off = conversation.handed_off_at is not None
    with translation.override(conversation.language):
        reply: Reply = Dialogue(conversation, context).respond(text)
    conversation.save()
    asked = Turn.objects.create(
        conversation=conversation,
        speaker=Speaker.RESIDENT,
        text=stored,
        client_key=client_key,
        intent=reply.intent,
        confidence=reply.confidence,
    )
    answer = Turn.objects.create(
        conversation=conversation,
        speaker=Speaker.ASSISTANT,
        text=reply.text,
        intent=reply.intent,
        confidence=reply.confidence,
        links=reply.links,
        handoff=reply.handoff,
        reply_to=asked,
    )
    _count(
        conversation.channel,
        conversations=int(started),
        handed_off=int(reply.handoff and not was_handed_off),
        answered=int(reply.answered),
        unanswered=int(reply.unanswered),
    )
    if reply.unanswered:
        _remember_unanswered(text, conversation.language)
    if reply.case is not None:
        record_write(
            actor=context.user if getattr(context.user, "is_authenticated", False) else None,
            action="assistant.case_filed",
            summary=f"Assistant filed {reply.case.reference}",
            obj=conversation,
            case_reference=reply.case.reference or "",
        )
    return answer


# --- Text messages ----------------------------------------------------------------------------


def answer_text(
    *, phone: str, text: str, language: str, sid: str, site_url: str = "", guess: Any = None
) -> Reply:
    """A text the SMS line's report flow does not take (a question): the assistant answers it
    in the number's conversation. Called inside intake's transaction for that message, which
    already makes a retried MessageSid a no-op."""
    conversation = queries.open_sms_conversation(phone)
    started = conversation is None
    if conversation is None:
        conversation = start_conversation(
            actor=None, channel=ConversationChannel.SMS, language=language, phone=phone
        )
    else:
        conversation = Conversation.objects.select_for_update().get(pk=conversation.pk)
    conversation.language = language
    context = Context(phone=phone, site_url=site_url, idempotency_key=sid, guess=guess)
    turn = _converse(conversation, text, context, client_key=sid[:64], started=started)
    if turn is None:
        return Reply("", intent="with_agent", handoff=True)
    return Reply(turn.text, intent=turn.intent, links=turn.links, handoff=turn.handoff)


def understand_text(text: str, language: str) -> Any:
    """The assistant's reading of a text (for the SMS line to decide who answers it)."""
    from cityhall.assistant.dialogue import understand

    return understand(text, language)


# --- Staff -----------------------------------------------------------------------------------


def open_for_staff(*, actor: Any, conversation: Conversation) -> Conversation:
    """A person opens a hand-off: the read of a resident's words is audited."""
    if not queries.can_answer_residents(actor):
        raise PermissionDenied
    with transaction.atomic():
        record_read(
            actor=actor,
            action="assistant.conversation_read",
            summary=f"Read assistant conversation {conversation.public_id}",
            subject=conversation.account,
            obj=conversation,
        )
    return conversation


def agent_reply(*, actor: Any, conversation: Conversation, text: str, close: bool = False) -> Turn:
    """A person answers in the same thread (the web chat shows it; a text goes by SMS)."""
    from cityhall.notifications.actions import queue_text_reply

    if not queries.can_answer_residents(actor):
        raise PermissionDenied
    text = clean(text or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write a reply.")]})
    if len(text) > MAX_STORED:
        raise ValidationError({"text": [_("Keep the reply under 2,000 characters.")]})
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        turn = Turn.objects.create(
            conversation=locked, speaker=Speaker.AGENT, text=text, agent=actor
        )
        locked.status = ConversationStatus.CLOSED if close else ConversationStatus.WITH_AGENT
        locked.agent = actor
        locked.last_message_at = timezone.now()
        locked.save(update_fields=["status", "agent", "last_message_at"])
        if locked.channel == ConversationChannel.SMS and locked.phone:
            queue_text_reply(
                to=locked.phone,
                body=text,
                language=locked.language,
                dedupe=f"assistant-reply:{turn.pk}",
            )
        record_write(
            actor=actor,
            action="assistant.agent_replied",
            summary=f"Replied in assistant conversation {locked.public_id}",
            subject=locked.account,
            obj=locked,
        )
    return turn


def close_conversation(*, actor: Any, conversation: Conversation) -> Conversation:
    if not queries.can_answer_residents(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = Conversation.objects.select_for_update().get(pk=conversation.pk)
        locked.status = ConversationStatus.CLOSED
        locked.save(update_fields=["status"])
        record_write(
            actor=actor,
            action="assistant.closed",
            summary=f"Closed assistant conversation {locked.public_id}",
            obj=locked,
        )
    return locked


def draft_article_from_question(
    *, actor: Any, question: UnansweredQuestion, slug: str, title_en: str, title_es: str
) -> Any:
    """Start an (unpublished) article for a question the assistant could not answer. Staff
    then write it through the catalog's draft → review → publish; once published, the
    question itself teaches the assistant to answer with it."""
    from cityhall.catalog.actions import create_article

    if not queries.can_read_insights(actor):
        raise PermissionDenied
    with transaction.atomic():
        locked = UnansweredQuestion.objects.select_for_update().get(pk=question.pk)
        if locked.article_id is not None:
            return locked.article
        article = create_article(actor=actor, slug=slug, title_en=title_en, title_es=title_es)
        locked.article = article
        locked.status = UnansweredStatus.ARTICLE
        locked.save(update_fields=["article", "status"])
    return article


def dismiss_question(*, actor: Any, question: UnansweredQuestion) -> None:
    if not queries.can_read_insights(actor):
        raise PermissionDenied
    with transaction.atomic():
        UnansweredQuestion.objects.filter(pk=question.pk).update(status=UnansweredStatus.DISMISSED)
        record_write(
            actor=actor,
            action="assistant.question_dismissed",
            summary="Dismissed an unanswered question",
            obj=question,
        )


def erase_personal_data(*, user: Any, email: str, phone: str) -> int:
    """Account deletion: the resident's conversations and their words go."""
    deleted = Conversation.objects.filter(account=user).delete()[0]
    if phone:
        deleted += Conversation.objects.filter(channel="sms", phone=phone).delete()[0]
    return deleted


def forget_old_conversations(*, days: int | None = None, now: dt.datetime | None = None) -> int:
    """Conversations idle for `days` (ASSISTANT_RETENTION_DAYS) are deleted: the counters
    keep the figures."""
    days = settings.ASSISTANT_RETENTION_DAYS if days is None else days
    cutoff = (now or timezone.now()) - dt.timedelta(days=days)
    return Conversation.objects.filter(last_message_at__lt=cutoff).delete()[0]
