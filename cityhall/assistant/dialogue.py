"""What the assistant says next. Called by `actions.send_message` inside its transaction, in
the conversation's language; the only write it makes itself is filing a request, through
`cases.actions.submit_case`, when the resident confirms one.

Flows kept in `conversation.state["flow"]` between turns: "report" (what → which type →
where → description → confirm), "status" (number → the contact given when reporting) and
"trash" (address)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cityhall.assistant import nlu, queries
from cityhall.assistant.models import Conversation, ConversationStatus
from cityhall.cases.actions import MAX_DESCRIPTION, submit_case
from cityhall.cases.models import Channel
from cityhall.intake import queries as intake_queries
from cityhall.search.queries import search_catalog

MAX_MESSAGE = 1000
# The assistant hands a message to a person when it is less confident than HANDOFF_BELOW, or
# when the out-of-scope detector's margin is above OUT_OF_SCOPE_ABOVE and the confidence is
# under SURE_ABOVE. Chosen by 5-fold cross-validation on the training examples (the best
# top-1 with out-of-scope hand-off ≥ 0.85), never on the held-out set: decisions/0012.
HANDOFF_BELOW = 0.2
OUT_OF_SCOPE_ABOVE = -0.2
SURE_ABOVE = 0.95
MAX_STATUS_TRIES = 3
ADDRESS_WEIGHT = 0.5

CANCEL_WORDS = {"cancel", "cancelar", "stop", "para", "start over", "empezar de nuevo", "salir"}
YES_WORDS = {"yes", "y", "yeah", "yep", "ok", "okay", "sure", "si", "sí", "claro", "dale", "vale"}
NO_WORDS = {"no", "n", "nope", "nah"}
REPORT_WORDS = {"report", "report it", "reportar", "reportarlo", "yes", "si", "sí", "ok", "please"}
# Words no reply should repeat back; the assistant answers them with a calm line instead.
ABUSIVE = frozenset(
    {
        "fuck",
        "fucking",
        "shit",
        "idiot",
        "stupid",
        "moron",
        "dumb",
        "asshole",
        "bitch",
        "bastard",
        "crap",
        "damn",
        "pendejo",
        "pendeja",
        "idiota",
        "estupido",
        "estupida",
        "mierda",
        "puta",
        "puto",
        "cabron",
        "culero",
        "imbecil",
    }
)
QUESTION_CUES = re.compile(
    r"\?|^(how|what|when|where|which|who|why|can|could|do|does|is|are|should|may)\b|"
    r"^(como|cómo|que|qué|cuando|cuándo|donde|dónde|cual|cuál|puedo|necesito|hay que|se puede)\b",
    re.IGNORECASE,
)


@dataclass
class Reply:
    text: str
    intent: str = ""
    confidence: float | None = None
    links: list[dict[str, str]] = field(default_factory=list)
    handoff: bool = False
    unanswered: bool = False
    answered: bool = False
    case: Any = None


@dataclass
class Context:
    """Who is asking, and how: a signed-in resident, a phone number (SMS), or nobody known."""

    user: Any = None
    phone: str = ""
    site_url: str = ""
    idempotency_key: str = ""
    photos: list[Any] = field(default_factory=list)
    # The words already understood (before the transaction), if they were.
    guess: nlu.Guess | None = None


def _link(title: str, url: str) -> dict[str, str]:
    return {"title": str(title)[:200], "url": url}


def _absolute(url: str, context: Context) -> str:
    return context.site_url.rstrip("/") + url if context.site_url else url


def retrieved_intents(text: str, lang: str) -> dict[str, float]:
    """What the site's search finds for the words, as intent → weight by rank (1, ½, ⅓…):
    an article stands for its own intent, a reportable request type for reporting one."""
    response = search_catalog(text[:200], lang=lang, limit=5, record=False, with_questions=False)
    slugs = queries.article_slugs_by_id([r.id for r in response.results if r.type == "article"])
    reportable = queries.reportable_service_ids()
    weights: dict[str, float] = {}
    rank = 0
    for result in response.results:
        if result.type == "article" and result.id in slugs:
            slug = slugs[result.id]
            intent = nlu.ARTICLE_OWNED_BY_TASK.get(slug, nlu.FAQ_PREFIX + slug)
        elif result.type == "service" and result.id in reportable:
            intent = "report_problem"
        else:
            continue
        rank += 1
        weights.setdefault(intent, 1.0 / rank)
    return weights


def might_be_a_report(guess: nlu.Guess) -> bool:
    """A question whose words also fit a problem residents report: the best search hit is a
    reportable type, or reporting is among the model's three likeliest readings."""
    if guess.evidence.get("report_problem", 0.0) >= 1.0:
        return True
    return any(intent == "report_problem" and p >= 0.01 for intent, p in guess.ranked[:3])


def not_sure(guess: nlu.Guess) -> bool:
    """Out of scope, or not confident enough to act: a person should answer."""
    return (
        guess.intent == nlu.OUT_OF_SCOPE
        or guess.confidence < HANDOFF_BELOW
        or (guess.out_of_scope > OUT_OF_SCOPE_ABOVE and guess.confidence < SURE_ABOVE)
    )


def understand(text: str, lang: str) -> nlu.Guess:
    evidence = retrieved_intents(text, lang)
    if intake_queries.address_in_text(text) is not None:
        # A message naming an address from the city's list is about a place: a problem
        # there, or its collection day, more likely than a general question.
        for intent in ("report_problem", "trash_day"):
            evidence[intent] = evidence.get(intent, 0.0) + ADDRESS_WEIGHT
    return nlu.current_model().guess(text, retrieved=evidence)


class Dialogue:
    def __init__(self, conversation: Conversation, context: Context) -> None:
        self.conversation = conversation
        self.context = context
        self.lang = conversation.language

    @property
    def state(self) -> dict[str, Any]:
        return self.conversation.state

    def _end_flow(self) -> None:
        last = self.state.get("last_case")
        self.conversation.state = {"last_case": last} if last else {}

    # --- entry ----------------------------------------------------------------------------

    def respond(self, text: str) -> Reply:
        if not text.strip():
            return Reply(_("Please type your question, for example “When is my trash day?”"))
        if len(text) > MAX_MESSAGE:
            return Reply(
                _(
                    "That message is too long for me. Please ask in a sentence or two, or "
                    "type “person” to reach someone."
                ),
                intent="too_long",
            )
        prepared = nlu.prepare(text)
        if set(prepared.split()) & ABUSIVE:
            return Reply(
                _(
                    "I'm here to help with city services. What can I help you with? "
                    "Type “person” if you'd like to talk to someone."
                ),
                intent="abuse",
            )
        flow = self.state.get("flow")
        offer = self.state.pop("offer", None)
        problem = self.state.pop("problem", "")
        if offer == "report" and prepared in REPORT_WORDS:
            return self._start_report(problem, describe=True)
        if flow and prepared in CANCEL_WORDS:
            self._end_flow()
            return Reply(_("OK, I stopped that. What else can I help with?"), intent="cancel")
        if flow == "report":
            return self._report_step(text)
        if flow == "status":
            return self._status_step(text)
        if flow == "trash":
            return self._trash_step(text)
        return self._answer(text)

    def _answer(self, text: str) -> Reply:
        guess = self.context.guess or understand(text, self.lang)
        intent = guess.intent
        if intent == nlu.HANDOFF:
            return self._handoff(guess, asked=True)
        if not_sure(guess):
            return self._handoff(guess, asked=False)
        reply = self._for_intent(intent, text)
        if intent.startswith(nlu.FAQ_PREFIX) and might_be_a_report(guess):
            # The words also match something residents report: offer to file it now.
            reply.text += " " + _("If you'd like me to report it now, reply “report”.")
            self.conversation.state = {**self.state, "offer": "report", "problem": text[:500]}
        reply.intent = reply.intent or intent
        reply.confidence = guess.confidence
        return reply

    def _for_intent(self, intent: str, text: str) -> Reply:
        if intent.startswith(nlu.FAQ_PREFIX):
            return self._article(intent[len(nlu.FAQ_PREFIX) :])
        if intent == "greeting":
            return Reply(
                _(
                    "Hello! I can answer questions about city services, report a problem, "
                    "check a request, find your trash day or opening hours."
                ),
                answered=True,
            )
        if intent == "thanks":
            return Reply(_("You're welcome. Anything else?"), answered=True)
        if intent == "goodbye":
            return Reply(
                _("Goodbye, and thank you for contacting %(city)s.") % _city(), answered=True
            )
        if intent == "report_problem":
            return self._start_report(text)
        if intent == "case_status":
            return self._start_status(text)
        if intent == "trash_day":
            return self._start_trash(text)
        if intent == "opening_hours":
            return self._opening_hours(text)
        return self._article(intent)

    # --- answers ----------------------------------------------------------------------------

    def _article(self, slug: str) -> Reply:
        answer = queries.article_answer(slug, self.lang)
        if answer is None:
            return self._handoff(None, asked=False)
        links = [_link(title, _absolute(url, self.context)) for title, url in answer.links]
        return Reply(answer.text, links=links, answered=True)

    def _article_link(self, slug: str) -> list[dict[str, str]]:
        answer = queries.article_answer(slug, self.lang)
        if answer is None:
            return []
        title, url = answer.links[0]
        return [_link(title, _absolute(url, self.context))]

    def _opening_hours(self, text: str) -> Reply:
        office = queries.office_for(nlu.prepare(text))
        if office is None:
            return self._article("city-hall-hours")
        today = timezone.localdate()
        day = today
        prepared = nlu.prepare(text)
        if any(w in prepared.split() for w in ("tomorrow", "manana")):
            day = today + dt.timedelta(days=1)
        for number, names in enumerate(_WEEKDAY_WORDS):
            if set(prepared.split()) & names:
                day = today + dt.timedelta(days=(number - today.weekday()) % 7)
                break
        hours, holiday = queries.opening_today(office, day)
        when = _long_date(day)
        if holiday:
            lead = _("%(office)s is closed on %(day)s (%(holiday)s).") % {
                "office": office.name,
                "day": when,
                "holiday": holiday,
            }
        elif not hours:
            lead = _("%(office)s is closed on %(day)s.") % {"office": office.name, "day": when}
        else:
            lead = _("%(office)s is open on %(day)s: %(hours)s.") % {
                "office": office.name,
                "day": when,
                "hours": ", ".join(f"{a}–{b}" for a, b in hours),
            }
        week = "; ".join(
            f"{_WEEKDAY_NAMES()[d]} " + (", ".join(f"{a}–{b}" for a, b in h) if h else _("closed"))
            for d, h in queries.weekly_hours(office)
        )
        usual = _("Usual hours")
        text_out = f"{lead} {usual}: {week}."
        if office.address:
            text_out += " " + _("Address: %(address)s.") % {"address": office.address}
        links = self._article_link("city-hall-hours")
        return Reply(text_out, intent="opening_hours", links=links, answered=True)

    # --- trash day --------------------------------------------------------------------------

    def _start_trash(self, text: str) -> Reply:
        address = intake_queries.address_in_text(text) or queries.home_address(self.context.user)
        if address is None:
            self.conversation.state = {**self.state, "flow": "trash"}
            return Reply(_("What is the address? For example: 100 Main St."), intent="trash_day")
        return self._trash_answer(address)

    def _trash_step(self, text: str) -> Reply:
        address = intake_queries.address_in_text(text)
        if address is None:
            suggestions = intake_queries.address_suggestions(text)
            message = _("I couldn't find that address in the city's list.")
            if suggestions:
                message += " " + _("Did you mean: %(addresses)s?") % {
                    "addresses": "; ".join(suggestions)
                }
            else:
                message += " " + _("Please give the street number and name, like 100 Main St.")
            return Reply(message, intent="trash_day")
        self._end_flow()
        return self._trash_answer(address)

    def _trash_answer(self, address: Any) -> Reply:
        collection = queries.collection_for(address)
        links = self._article_link("trash-pickup-day")
        if collection is None:
            return Reply(
                _("I don't have a collection schedule for %(address)s yet.")
                % {"address": address.line},
                intent="trash_day",
                links=links,
                answered=True,
            )
        return Reply(
            _(
                "At %(address)s, the next trash pickup is %(trash)s and the next recycling "
                "pickup is %(recycling)s. Put bins out by 6 a.m."
            )
            % {
                "address": collection.address,
                "trash": _long_date(collection.trash_day),
                "recycling": _long_date(collection.recycling_day),
            },
            intent="trash_day",
            links=links,
            answered=True,
        )

    # --- case status ------------------------------------------------------------------------

    def _start_status(self, text: str) -> Reply:
        reference = intake_queries.reference_in(text)
        if not reference:
            self.conversation.state = {**self.state, "flow": "status", "tries": 0}
            return Reply(
                _("What is the request number? It looks like 2026-000123."), intent="case_status"
            )
        return self._status_for(reference, contact="")

    def _status_step(self, text: str) -> Reply:
        reference = intake_queries.reference_in(text) or self.state.get("reference", "")
        if not reference:
            return Reply(
                _("Please type the request number, like 2026-000123."), intent="case_status"
            )
        contact = "" if intake_queries.reference_in(text) else text.strip()
        return self._status_for(reference, contact=contact)

    def _status_for(self, reference: str, *, contact: str) -> Reply:
        case = queries.case_for_status(
            reference, user=self.context.user, contact=contact or self.context.phone
        )
        if case is not None:
            self._end_flow()
            self.state["last_case"] = case.reference
            status = _("Request %(reference)s (%(type)s) is %(status)s.") % {
                "reference": case.reference,
                "type": case.service_type.name_es
                if self.lang == "es"
                else case.service_type.name_en,
                "status": case.get_status_display().lower(),
            }
            note = queries.latest_public_note(case)
            if note:
                status += " " + _("Latest update: %(note)s") % {"note": note[:200]}
            if case.expected_by and case.status not in ("resolved", "closed"):
                status += " " + _("Expected by %(date)s.") % {"date": _short_date(case.expected_by)}
            url = _absolute(reverse("cases:detail", args=[case.reference]), self.context)
            return Reply(
                status,
                intent="case_status",
                links=[_link(_("Request %(reference)s") % {"reference": case.reference}, url)],
                answered=True,
            )
        tries = int(self.state.get("tries", 0)) + (1 if contact else 0)
        if tries >= MAX_STATUS_TRIES:
            self._end_flow()
            return Reply(
                _(
                    "I can't share that request's details. If you made it, sign in to see it "
                    "under “My requests”, or type “person” to reach someone."
                ),
                intent="case_status",
            )
        self.conversation.state = {
            **self.state,
            "flow": "status",
            "reference": reference,
            "tries": tries,
        }
        # The same words whether the number exists or not: nothing to learn by guessing.
        return Reply(
            _(
                "To keep requests private, please type the email address or phone number you "
                "gave when you made request %(reference)s."
            )
            % {"reference": reference},
            intent="case_status",
        )

    # --- reporting a problem ----------------------------------------------------------------

    def _start_report(self, text: str, *, describe: bool = False) -> Reply:
        """`describe`: the first words were a question about reporting, not a description."""
        report: dict[str, Any] = {"problem": text.strip()[:MAX_DESCRIPTION], "ask": describe}
        address = intake_queries.address_in_text(text)
        if address is not None:
            report["address"] = address.line
        matches = intake_queries.match_service_types(text, lang=self.lang)
        self.conversation.state = {**self.state, "flow": "report", "report": report}
        if matches and intake_queries.is_confident(matches):
            report["service_code"] = matches[0].code
            report["service_name"] = matches[0].name(self.lang)
            return self._report_next()
        if matches:
            report["choices"] = [{"code": m.code, "name": m.name(self.lang)} for m in matches]
            report["step"] = "choose"
            return self._choices()
        report["step"] = "what"
        return Reply(
            _("I can file that for you. What kind of problem is it? For example: pothole, "
              "streetlight out, missed trash pickup."),
            intent="report_problem",
        )  # fmt: skip

    def _choices(self) -> Reply:
        lines = [_("Which of these is it? Reply with its number:")]
        for number, choice in enumerate(self.state["report"]["choices"], start=1):
            lines.append(f"{number}. {choice['name']}")
        lines.append(_("Or reply 0 if none fits."))
        return Reply("\n".join(lines), intent="report_problem")

    def _report_next(self) -> Reply:
        report = self.state["report"]
        if not report.get("service_code"):
            report["step"] = "what"
            return Reply(_("What kind of problem is it?"), intent="report_problem")
        if not report.get("address"):
            report["step"] = "where"
            return Reply(
                _("Got it: %(type)s. Where is it? Type the street number and name, like 100 "
                  "Main St.") % {"type": report["service_name"]},
                intent="report_problem",
            )  # fmt: skip
        if not report.get("description"):
            if len(report.get("problem", "").split()) >= 4 and not report.get("ask"):
                report["description"] = report["problem"]
            else:
                report["step"] = "describe"
                return Reply(
                    _("Please describe it in a sentence or two: what, how big, since when."),
                    intent="report_problem",
                )
        report["step"] = "confirm"
        if self.conversation.channel == "web":
            question = _(
                "Shall I file this request? %(type)s at %(address)s: “%(description)s”. "
                "Reply yes to file it (attach a photo with your answer if you have one), or no "
                "to change it."
            )
        else:
            question = _(
                "Shall I file this request? %(type)s at %(address)s: “%(description)s”. "
                "Reply yes to file it or no to change it."
            )
        return Reply(
            question
            % {
                "type": report["service_name"],
                "address": report["address"],
                "description": report["description"][:200],
            },
            intent="report_problem",
        )

    def _report_step(self, text: str) -> Reply:
        report = self.state["report"]
        step = report.get("step", "what")
        answer = text.strip()
        if step == "what":
            matches = intake_queries.match_service_types(answer, lang=self.lang)
            if not matches:
                return Reply(
                    _("Sorry, I didn't recognise that. Describe the problem in a few words, "
                      "or type “cancel”."),
                    intent="report_problem",
                )  # fmt: skip
            report["problem"] = report.get("problem") or answer
            if intake_queries.is_confident(matches):
                report["service_code"] = matches[0].code
                report["service_name"] = matches[0].name(self.lang)
                return self._report_next()
            report["choices"] = [{"code": m.code, "name": m.name(self.lang)} for m in matches]
            report["step"] = "choose"
            return self._choices()
        if step == "choose":
            choices = report.get("choices", [])
            if answer.isdigit() and 1 <= int(answer) <= len(choices):
                chosen = choices[int(answer) - 1]
                report["service_code"], report["service_name"] = chosen["code"], chosen["name"]
                report.pop("choices", None)
                return self._report_next()
            if answer == "0":
                report.pop("choices", None)
                report["step"] = "what"
                return Reply(
                    _("Please describe the problem in other words."), intent="report_problem"
                )
            return self._choices()
        if step == "where":
            address = intake_queries.address_in_text(answer)
            if address is None:
                suggestions = intake_queries.address_suggestions(answer)
                message = _("I couldn't find that address in the city's list.")
                if suggestions:
                    message += " " + _("Did you mean: %(addresses)s?") % {
                        "addresses": "; ".join(suggestions)
                    }
                return Reply(message, intent="report_problem")
            report["address"] = address.line
            return self._report_next()
        if step == "describe":
            if len(answer) < 3:
                return Reply(
                    _("Please describe it in a sentence or two: what, how big, since when."),
                    intent="report_problem",
                )
            report["description"] = answer[:MAX_DESCRIPTION]
            return self._report_next()
        if step == "confirm":
            word = nlu.prepare(answer)
            if word in YES_WORDS:
                return self._file(report)
            if word in NO_WORDS:
                report.pop("description", None)
                report["step"] = "describe"
                return Reply(
                    _("OK. Describe the problem again, or type “cancel” to stop."),
                    intent="report_problem",
                )
            return Reply(_("Please reply yes or no."), intent="report_problem")
        self._end_flow()
        return self._answer(text)

    def _file(self, report: dict[str, Any]) -> Reply:
        user = self.context.user if getattr(self.context.user, "is_authenticated", False) else None
        channel = {"sms": Channel.SMS, "api": Channel.API}.get(
            self.conversation.channel, Channel.WEB
        )
        try:
            case, _created = submit_case(
                actor=user,
                service_code=report["service_code"],
                description=report["description"][:MAX_DESCRIPTION],
                channel=channel,
                address_text=report["address"],
                contact_phone=self.context.phone,
                photos=self.context.photos or None,
                idempotency_key=f"assistant:{self.conversation.public_id}:{self.context.idempotency_key}",
                idempotency_scope=str(self.conversation.public_id),
            )
        except ValidationError as error:
            problems = " ".join(m for ms in error.message_dict.values() for m in ms)
            self._end_flow()
            return Reply(
                _("Sorry, I could not file that: %(problem)s") % {"problem": problems},
                intent="report_problem",
            )
        self._end_flow()
        self.state["last_case"] = case.reference
        url = _absolute(reverse("cases:detail", args=[case.reference]), self.context)
        return Reply(
            _("Done. Your request number is %(reference)s. You can follow it at the link.")
            % {"reference": case.reference},
            intent="report_problem",
            links=[_link(_("Request %(reference)s") % {"reference": case.reference}, url)],
            answered=True,
            case=case,
        )

    # --- hand-off ---------------------------------------------------------------------------

    def _handoff(self, guess: nlu.Guess | None, *, asked: bool) -> Reply:
        self.conversation.status = ConversationStatus.WAITING
        self.conversation.handed_off_at = timezone.now()
        if asked:
            self.conversation.handoff_reason = "asked for a person"
            text = _("I'm asking a person to help. They will reply here; please keep this open.")
        else:
            self.conversation.handoff_reason = "assistant not sure"
            text = _(
                "I'm not sure I can answer that, so I've asked a person to help. They will reply "
                "here. For emergencies call 911."
            )
        return Reply(
            text,
            intent=guess.intent if guess else nlu.OUT_OF_SCOPE,
            confidence=guess.confidence if guess else None,
            handoff=True,
            unanswered=not asked,
        )


def _long_date(day: dt.date) -> str:
    # Translators: a date format (Django's date filter); Spanish says "lunes 7 de diciembre".
    return formats.date_format(day, pgettext("date format", "l j F"))


def _short_date(day: dt.date) -> str:
    # Translators: a date format (Django's date filter); Spanish says "7 de diciembre".
    return formats.date_format(day, pgettext("date format", "j F"))


def _city() -> dict[str, str]:
    return {"city": settings.CITY_NAME}


_WEEKDAY_WORDS = [
    {"monday", "mon", "lunes"},
    {"tuesday", "tue", "martes"},
    {"wednesday", "wed", "miercoles"},
    {"thursday", "thu", "jueves"},
    {"friday", "fri", "viernes"},
    {"saturday", "sat", "sabado"},
    {"sunday", "sun", "domingo"},
]


def _WEEKDAY_NAMES() -> list[str]:  # noqa: N802 - reads like the constant it stands for
    return [
        _("Monday"),
        _("Tuesday"),
        _("Wednesday"),
        _("Thursday"),
        _("Friday"),
        _("Saturday"),
        _("Sunday"),
    ]
