"""Reads for the assistant: what it knows (articles, offices, collection days), whose
conversation is whose, and what staff see (the hand-off queue, deflection, unanswered
questions)."""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet, Sum
from django.http import Http404
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.assistant.models import (
    Conversation,
    ConversationStatus,
    DailyStat,
    UnansweredQuestion,
    UnansweredStatus,
)
from cityhall.cases.models import Case, Holiday
from cityhall.catalog.models import Article
from cityhall.core.phones import normalise_phone
from cityhall.org.models import Office, Role, StaffMembership
from cityhall.places.models import Address, CollectionSchedule

# Staff who answer residents the assistant handed over, and those who read its figures.
AGENT_ROLES = frozenset({Role.AGENT, Role.SUPERVISOR, Role.CITY_ADMIN})
INSIGHT_ROLES = frozenset({Role.SUPERVISOR, Role.DEPARTMENT_ADMIN, Role.CITY_ADMIN})


def _has_role(user: Any, roles: frozenset[str]) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return StaffMembership.objects.filter(user=user, role__in=roles).exists()


def can_answer_residents(user: Any) -> bool:
    return _has_role(user, AGENT_ROLES)


def can_read_insights(user: Any) -> bool:
    return _has_role(user, INSIGHT_ROLES)


# --- Knowledge -------------------------------------------------------------------------------


def published_articles() -> list[dict[str, Any]]:
    """Articles the model learns from, with the questions staff turned into each one."""
    articles: list[dict[str, Any]] = [
        dict(row)
        for row in Article.objects.filter(is_published=True)
        .order_by("slug")
        .values("id", "slug", "title_en", "title_es", "keywords_en", "keywords_es")
    ]
    questions: dict[int, list[tuple[str, str]]] = {}
    for article_id, example, language in (
        UnansweredQuestion.objects.filter(article__isnull=False)
        .order_by("pk")
        .values_list("article_id", "example", "language")
    ):
        questions.setdefault(article_id, []).append((example, language))
    for article in articles:
        article["questions"] = questions.get(article["id"], [])
    return articles


@dataclass(frozen=True)
class ArticleAnswer:
    text: str
    links: list[tuple[str, str]]  # (title, url): the article, then services to start


_answers: dict[tuple[str, str], ArticleAnswer | None] = {}
_answers_engine: Any = None


def article_answer(slug: str, lang: str) -> ArticleAnswer | None:
    """What the assistant says for an article: its first paragraph, its link and up to two
    related services. Kept per process until a publish rebuilds the search engine."""
    global _answers_engine
    from cityhall.search.index import current_engine

    engine = current_engine()  # a new engine object exactly when the catalog changed
    if engine is not _answers_engine:
        _answers.clear()
        _answers_engine = engine
    key = (slug, lang)
    if key not in _answers:
        article = (
            Article.objects.filter(slug=slug, is_published=True)
            .prefetch_related("related_services")
            .first()
        )
        if article is None:
            _answers[key] = None
        else:
            with translation.override(lang):
                links = [(str(article.t("title")), article.get_absolute_url())]
                for service in [s for s in article.related_services.all() if s.is_published][:2]:
                    links.append(
                        (
                            _("Start: %(service)s") % {"service": service.t("title")},
                            service.get_absolute_url(),
                        )
                    )
                _answers[key] = ArticleAnswer(first_paragraph(article.t("body")), links)
    return _answers[key]


def first_paragraph(body: str, limit: int = 480) -> str:
    paragraphs = [p.strip() for p in body.split("\n\n") if p.strip()]
    text = " ".join(paragraphs[0].split()) if paragraphs else ""
    if len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    return text


_catalog_engine: Any = None
_slugs: dict[int, str] = {}
_reportable: frozenset[int] = frozenset()


def _catalog_facts() -> None:
    """Article slugs and reportable services, read once per catalog version (per process)."""
    global _catalog_engine, _slugs, _reportable
    from cityhall.catalog.models import Service
    from cityhall.search.index import current_engine

    engine = current_engine()
    if engine is not _catalog_engine:
        _slugs = dict(Article.objects.filter(is_published=True).values_list("pk", "slug"))
        _reportable = frozenset(
            Service.objects.filter(is_published=True, request_type__isnull=False).values_list(
                "pk", flat=True
            )
        )
        _catalog_engine = engine


def article_slugs_by_id(ids: list[int]) -> dict[int, str]:
    _catalog_facts()
    return {i: _slugs[i] for i in ids if i in _slugs}


def reportable_service_ids() -> frozenset[int]:
    _catalog_facts()
    return _reportable


# --- Conversations ---------------------------------------------------------------------------


def conversation_for_resident(public_id: Any, user: Any) -> Conversation:
    """A web or app conversation by its unguessable id. One started by a signed-in resident
    is theirs only: anybody else gets "not found"."""
    try:
        key = uuid.UUID(str(public_id))
    except (ValueError, TypeError, AttributeError):
        raise Http404 from None
    conversation = Conversation.objects.filter(public_id=key).exclude(channel="sms").first()
    if conversation is None:
        raise Http404
    if conversation.account_id is not None and (
        not getattr(user, "is_authenticated", False) or user.pk != conversation.account_id
    ):
        raise Http404
    return conversation


def takes_fresh_questions(conversation: Conversation) -> bool:
    """Whether its next message is read as a new question (no task half done, no person)."""
    return conversation.status in (
        ConversationStatus.ACTIVE,
        ConversationStatus.CLOSED,
    ) and not conversation.state.get("flow")


def open_sms_conversation(phone: str) -> Conversation | None:
    return (
        Conversation.objects.filter(channel="sms", phone=phone)
        .exclude(status=ConversationStatus.CLOSED)
        .order_by("-last_message_at")
        .first()
    )


def expects_text_from(phone: str) -> bool:
    """Whether this number's next text belongs to the assistant's conversation: a person has
    it, or the assistant asked a question (an address, a contact) and waits for the answer."""
    conversation = open_sms_conversation(phone)
    if conversation is None:
        return False
    waiting = conversation.status in (ConversationStatus.WAITING, ConversationStatus.WITH_AGENT)
    return waiting or bool(conversation.state.get("flow"))


def transcript(conversation: Conversation) -> QuerySet[Any]:
    return conversation.turns.select_related("agent").order_by("created_at", "id")


def handoff_queue() -> QuerySet[Conversation]:
    """Conversations waiting for a person first (oldest first), then those a person has."""
    return (
        Conversation.objects.filter(
            status__in=[ConversationStatus.WAITING, ConversationStatus.WITH_AGENT]
        )
        .select_related("agent", "account")
        .order_by("status", "handed_off_at", "pk")
    )


def conversation_for_staff(public_id: Any, user: Any) -> Conversation:
    if not can_answer_residents(user):
        raise Http404
    try:
        key = uuid.UUID(str(public_id))
    except (ValueError, TypeError, AttributeError):
        raise Http404 from None
    conversation = Conversation.objects.select_related("account", "agent").filter(public_id=key)
    found = conversation.first()
    if found is None:
        raise Http404
    return found


# --- Cases -----------------------------------------------------------------------------------


def case_for_status(reference: str, *, user: Any = None, contact: str = "") -> Case | None:
    """A case the person asking may hear about: theirs when signed in, or one whose contact
    (email or phone given when reporting) matches what they told us. Never anyone else's."""
    case = (
        Case.objects.select_related("service_type")
        .filter(reference=reference.strip())
        .only(
            "reference",
            "status",
            "service_type__name_en",
            "service_type__name_es",
            "requester_id",
            "contact_email",
            "contact_phone",
            "expected_by",
        )
        .first()
    )
    if case is None:
        return None
    if getattr(user, "is_authenticated", False) and case.requester_id == user.pk:
        return case
    contact = contact.strip()
    if not contact:
        return None
    if "@" in contact and case.contact_email and contact.lower() == case.contact_email.lower():
        return case
    phone = normalise_phone(contact)
    if phone and case.contact_phone and phone == normalise_phone(case.contact_phone):
        return case
    return None


def latest_public_note(case: Case) -> str:
    event = case.events.filter(is_public=True).exclude(message="").order_by("-created_at").first()
    return event.message if event is not None else ""


# --- Collection days and opening hours -------------------------------------------------------


@dataclass(frozen=True)
class Collection:
    address: str
    trash_day: dt.date
    recycling_day: dt.date


def _holidays(start: dt.date, days: int) -> dict[dt.date, str]:
    return dict(
        Holiday.objects.filter(
            date__gte=start - dt.timedelta(days=7), date__lte=start + dt.timedelta(days=days)
        ).values_list("date", "name")
    )


def _next_collection(
    weekday: int, today: dt.date, holidays: dict[dt.date, str], *, every: int = 1,
    anchor: dt.date | None = None,
) -> dt.date:  # fmt: skip
    """The next collection on or after today: a holiday on a weekday up to the collection
    day in the same week moves it one day later."""
    monday = today - dt.timedelta(days=today.weekday())
    for week in range(0, 6):
        start = monday + dt.timedelta(weeks=week)
        day = start + dt.timedelta(days=weekday)
        if every > 1 and anchor is not None and ((day - anchor).days // 7) % every:
            continue
        if any(start + dt.timedelta(days=d) in holidays for d in range(0, weekday + 1)):
            day += dt.timedelta(days=1)
        if day >= today:
            return day
    return today


def collection_for(address: Address, today: dt.date | None = None) -> Collection | None:
    if address.neighbourhood_id is None:
        return None
    schedule = CollectionSchedule.objects.filter(neighbourhood_id=address.neighbourhood_id).first()
    if schedule is None:
        return None
    today = today or timezone.localdate()
    holidays = _holidays(today, 42)
    every = 2 if schedule.recycling_every_other_week else 1
    return Collection(
        address=address.line,
        trash_day=_next_collection(schedule.trash_weekday, today, holidays),
        recycling_day=_next_collection(
            schedule.recycling_weekday, today, holidays, every=every,
            anchor=schedule.recycling_anchor,
        ),
    )  # fmt: skip


def home_address(user: Any) -> Address | None:
    """The signed-in resident's first saved address, if any."""
    if not getattr(user, "is_authenticated", False):
        return None
    from cityhall.accounts.models import SavedAddress

    saved = (
        SavedAddress.objects.filter(profile__account=user)
        .select_related("address__neighbourhood")
        .order_by("-profile__is_primary", "pk")
        .first()
    )
    return saved.address if saved is not None else None


def office_for(text: str) -> Office | None:
    """The office a question names by one of its keywords, else the main one."""
    lowered = text.lower()
    words = set(lowered.split())
    best, best_hits = None, 0
    offices = list(Office.objects.select_related("department"))
    for office in offices:
        keywords = [k.strip().lower() for k in office.keywords.split(",") if k.strip()]
        hits = sum(1 for k in keywords if (k in lowered if " " in k else k in words))
        if hits > best_hits:
            best, best_hits = office, hits
    if best is not None:
        return best
    return next((o for o in offices if o.is_main), offices[0] if offices else None)


def opening_today(office: Office, day: dt.date) -> tuple[list[list[str]], str]:
    """(the day's opening hours, the holiday's name if closed for one)."""
    if office.closed_on_holidays:
        holiday = Holiday.objects.filter(date=day).values_list("name", flat=True).first()
        if holiday:
            return [], holiday
    return list(office.hours.get(str(day.weekday()), [])), ""


def weekly_hours(office: Office) -> list[tuple[int, list[list[str]]]]:
    return [(day, list(office.hours.get(str(day), []))) for day in range(7)]


# --- Staff figures ---------------------------------------------------------------------------


def deflection_by_day(*, since: dt.date, until: dt.date) -> list[tuple[dt.date, int, int]]:
    """(day, conversations, resolved without a person) from the daily counters."""
    rows = (
        DailyStat.objects.filter(day__gte=since, day__lte=until)
        .values("day")
        .annotate(conversations=Sum("conversations"), handed_off=Sum("handed_off"))
        .order_by("day")
    )
    return [
        (row["day"], row["conversations"], row["conversations"] - row["handed_off"]) for row in rows
    ]


def deflection_summary(*, days: int = 30) -> dict[str, Any]:
    until = timezone.localdate()
    since = until - dt.timedelta(days=days - 1)
    stats = DailyStat.objects.filter(day__gte=since, day__lte=until)
    totals = stats.aggregate(
        conversations=Sum("conversations"),
        handed_off=Sum("handed_off"),
        answered=Sum("answered"),
        unanswered=Sum("unanswered"),
    )
    conversations = totals["conversations"] or 0
    handed_off = totals["handed_off"] or 0
    by_channel: list[dict[str, Any]] = [
        dict(row)
        for row in stats.values("channel")
        .annotate(conversations=Sum("conversations"), handed_off=Sum("handed_off"))
        .order_by("channel")
    ]
    for row in by_channel:
        row["resolved"] = row["conversations"] - row["handed_off"]
    return {
        "since": since,
        "until": until,
        "conversations": conversations,
        "handed_off": handed_off,
        "resolved": conversations - handed_off,
        "deflection": (conversations - handed_off) / conversations if conversations else None,
        "answered": totals["answered"] or 0,
        "unanswered": totals["unanswered"] or 0,
        "by_channel": by_channel,
        "by_day": deflection_by_day(since=since, until=until),
    }


def top_unanswered(limit: int = 25) -> QuerySet[UnansweredQuestion]:
    return UnansweredQuestion.objects.filter(status=UnansweredStatus.OPEN).order_by(
        "-count", "-last_seen"
    )[:limit]


def language_name(code: str) -> str:
    with translation.override(code):
        return "Español" if code == "es" else "English"
