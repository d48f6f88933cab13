"""Every write of SMS and email intake. Each inbound message is handled once (by Twilio's
MessageSid or the email's Message-ID), in one transaction, with an audit row; emails go out
through the worker after commit."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email.utils import make_msgid, parseaddr
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.accounts.actions import confirm_phone_by_text
from cityhall.assistant import actions as assistant_actions
from cityhall.assistant import queries as assistant_queries
from cityhall.assistant.dialogue import QUESTION_CUES
from cityhall.audit.actions import record_write
from cityhall.cases.actions import MAX_DESCRIPTION, add_requester_message, submit_case
from cityhall.cases.models import Case, Channel
from cityhall.core.phones import normalise_phone
from cityhall.core.text import clean
from cityhall.intake import queries
from cityhall.intake.mail import InboundMessage, parse_email
from cityhall.intake.models import (
    EmailThread,
    EmailThreadStatus,
    InboundEmail,
    InboundOutcome,
    OutboundEmail,
    SmsConversation,
    SmsMessage,
    SmsStep,
)
from cityhall.intake.text import fold, guess_language
from cityhall.notifications.templating import fit_sms

SMS_IDLE = dt.timedelta(hours=24)
MIN_WORDS_FOR_DESCRIPTION = 4

# Carrier keywords (CTIA): STOP-type words end all messages, START resumes, HELP explains.
# CANCEL is kept for "start this report again", so it must be taken off the Twilio messaging
# service's opt-out keywords (see docs/decisions/0006).
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "END", "QUIT", "REVOKE", "OPTOUT", "PARAR", "ALTO"}
SPANISH_STOP_WORDS = {"PARAR", "ALTO"}
START_WORDS = {"START", "UNSTOP", "YES", "COMENZAR", "INICIO"}
HELP_WORDS = {"HELP", "INFO", "AYUDA"}
CANCEL_WORDS = {"CANCEL", "CANCELAR", "RESTART", "REINICIAR"}
SPANISH_WORDS = {"ESPANOL", "SPANISH", "EN ESPANOL"}
ENGLISH_WORDS = {"ENGLISH", "INGLES", "EN INGLES"}
STATUS_WORDS = ("STATUS", "ESTADO")
VERIFY_WORDS = ("VERIFY", "VERIFICAR")
NONE_WORDS = {"0", "NONE", "NINGUNO", "NINGUNA", "OTHER", "OTRO"}
# What the assistant answers on the text line rather than the report conversation.
ASSISTANT_INTENTS = {
    "talk_to_person", "thanks", "goodbye", "case_status", "trash_day",
    "opening_hours",
}  # fmt: skip


def _site_link(site_url: str, reference: str) -> str:
    if not site_url:
        return ""
    return site_url.rstrip("/") + reverse("cases:detail", args=[reference])


# --- SMS -------------------------------------------------------------------------------------


def receive_sms(
    *,
    actor: Any,
    sid: str,
    from_number: str,
    body: str,
    media_urls: list[str] | None = None,
    site_url: str = "",
) -> str:
    """Take one inbound text and return the reply ("" means send nothing). A retry with the
    same MessageSid returns the first reply and changes nothing."""
    sid = (sid or "").strip()
    phone = normalise_phone(from_number)
    errors: dict[str, list[str]] = {}
    if not sid or len(sid) > 64:
        errors["MessageSid"] = [_("Missing or malformed MessageSid.")]
    if not phone:
        errors["From"] = [_("Missing or malformed phone number.")]
    if errors:
        raise ValidationError(errors)
    previous = SmsMessage.objects.filter(sid=sid).first()
    if previous is not None:
        return previous.reply
    try:
        with transaction.atomic(durable=True):
            conversation, created = SmsConversation.objects.select_for_update().get_or_create(
                phone=phone
            )
            turn = _SmsTurn(conversation, sid=sid, site_url=site_url)
            reply = turn.answer(clean(body).strip()[:1600], media_urls or [], is_new=created)
            conversation.save()
            SmsMessage.objects.create(
                sid=sid,
                conversation=conversation,
                reply=reply,
                media_urls=(media_urls or [])[:10],
                case=turn.case,
            )
            record_write(
                actor=actor,
                action="intake.sms_received",
                summary=f"Text message {sid}: {turn.event}",
                obj=conversation,
                case_reference=turn.case.reference or "" if turn.case else "",
            )
            return reply
    except IntegrityError:
        previous = SmsMessage.objects.filter(sid=sid).first()
        if previous is not None:  # the same message, handled by a concurrent retry
            return previous.reply
        raise


class _SmsTurn:
    """One inbound text against the conversation: decides the reply and the next step."""

    def __init__(self, conversation: SmsConversation, *, sid: str, site_url: str) -> None:
        self.conversation = conversation
        self.sid = sid
        self.site_url = site_url
        self.case: Case | None = None
        self.event = "answered"
        self.guess: Any = None  # the assistant's reading of this text, once made

    # The collected fields of the report in progress.
    @property
    def data(self) -> dict[str, Any]:
        return self.conversation.collected

    def _restart(self) -> None:
        last_case = self.data.get("last_case")
        self.conversation.step = SmsStep.WHAT
        self.conversation.collected = {"last_case": last_case} if last_case else {}

    def answer(self, body: str, media_urls: list[str], *, is_new: bool) -> str:
        conversation = self.conversation
        now = timezone.now()
        if conversation.expires_at < now and conversation.step != SmsStep.WHAT:
            self._restart()
            self.event = "restarted after idling"
        conversation.expires_at = now + SMS_IDLE
        keyword = " ".join(re.sub(r"[^A-Z0-9 ]", "", fold(body)).split())
        self._choose_language(keyword, body)
        with translation.override(conversation.language):
            return self._respond(keyword, body, media_urls, is_new=is_new)

    def _choose_language(self, keyword: str, body: str) -> None:
        """Asked for by keyword (ESPAÑOL / ENGLISH), or guessed from free text until then."""
        conversation = self.conversation
        if keyword in SPANISH_WORDS or keyword in ENGLISH_WORDS:
            conversation.language = "es" if keyword in SPANISH_WORDS else "en"
            conversation.language_chosen = True
        elif keyword in SPANISH_STOP_WORDS or keyword == "AYUDA":
            conversation.language = "es"
        elif not conversation.language_chosen and conversation.step != SmsStep.WHERE:
            guessed = guess_language(body)
            if guessed:
                conversation.language = guessed

    def _respond(self, keyword: str, body: str, media_urls: list[str], *, is_new: bool) -> str:
        conversation = self.conversation
        city = {"city": settings.CITY_NAME}
        # Carrier rules first: after STOP, only START and HELP get an answer.
        if keyword in STOP_WORDS:
            conversation.opted_out_at = timezone.now()
            self._restart()
            self.event = "opted out"
            return (
                _(
                    "%(city)s 311: you are unsubscribed and will get no more messages. "
                    "Text START to get messages again."
                )
                % city
            )
        if keyword in HELP_WORDS:
            self.event = "help"
            return (
                _(
                    "%(city)s 311: text us a problem (like a pothole) to report it. "
                    "STATUS and a request number for updates, CANCEL to start over, "
                    "ESPAÑOL for Spanish, STOP to end messages. Emergencies: call 911."
                )
                % city
            )
        if conversation.opted_out_at is not None:
            if keyword in START_WORDS:
                conversation.opted_out_at = None
                self.event = "opted back in"
                return _("%(city)s 311: you can text us again.") % city + " " + self._ask_what()
            self.event = "ignored (opted out)"
            return ""
        if media_urls:
            self.data["media"] = (self.data.get("media", []) + media_urls)[:10]
        if keyword in SPANISH_WORDS or keyword in ENGLISH_WORDS:
            self.event = "language chosen"
            return self._prompt_for_step()
        if keyword in CANCEL_WORDS:
            self._restart()
            self.event = "cancelled"
            return _("Cancelled. Whenever you are ready, text us what the problem is.")
        if keyword in START_WORDS:
            self.event = "start"
            return self._ask_what()
        if keyword.split(" ")[0] in VERIFY_WORDS and len(keyword) < 40:
            self.event = "phone verification"
            return self._verify(keyword)
        if keyword.split(" ")[0] in STATUS_WORDS and len(keyword) < 40:
            self.event = "status"
            return self._status(body)
        step = conversation.step
        if step == SmsStep.WHAT and assistant_queries.expects_text_from(conversation.phone):
            return self._assistant(body)
        if step == SmsStep.CHOOSE:
            return self._on_choice(body)
        if step == SmsStep.WHERE:
            return self._on_where(body)
        if step == SmsStep.DESCRIBE:
            return self._on_description(body)
        return self._on_problem(body, is_new)

    # Every text below is built inside translation.override(conversation.language).

    def _ask_what(self) -> str:
        return _(
            'What is the problem? Describe it in a few words, like "pothole" or '
            '"missed trash pickup".'
        )

    def _prompt_for_step(self) -> str:
        step = self.conversation.step
        if step == SmsStep.CHOOSE:
            return self._choices_text()
        if step == SmsStep.WHERE:
            return self._ask_where_text()
        if step == SmsStep.DESCRIBE:
            return self._ask_describe_text()
        return self._ask_what()

    def _choices_text(self) -> str:
        lang = self.conversation.language
        lines = [_("Which of these is it? Reply with its number:")]
        for number, choice in enumerate(self.data.get("choices", []), start=1):
            lines.append(f"{number} {choice['name_es' if lang == 'es' else 'name_en']}")
        lines.append(_("Or reply 0 if none fits."))
        return "\n".join(lines)

    def _ask_where_text(self) -> str:
        name = queries.service_type_name(self.data["service_code"], self.conversation.language)
        return _(
            "Got it: %(type)s. Where is it? Reply with the street number and name, "
            "like 100 Main St."
        ) % {"type": name}

    def _ask_describe_text(self) -> str:
        return _(
            "Thanks. Now describe the problem in a sentence or two: what, how big, since when."
        )

    def _verify(self, keyword: str) -> str:
        """ "VERIFY 123456" sent from this phone proves the account page's code."""
        code = keyword.split(" ", 1)[1] if " " in keyword else ""
        user = confirm_phone_by_text(phone=self.conversation.phone, code=code)
        if user is None:
            return _("That code is not right or has expired. Get a new one on your account page.")
        return _("Your number is verified. Requests you text us now appear in your account.")

    def _status(self, body: str) -> str:
        reference = queries.reference_in(body) or self.data.get("last_case", "")
        if not reference:
            return _("Text STATUS and your request number, like STATUS 2026-000123.")
        case = queries.case_by_reference(reference)
        if case is None:
            return _("We couldn't find a request numbered %(reference)s. Check the number.") % {
                "reference": reference
            }
        lang = self.conversation.language
        latest = case.events.filter(is_public=True).order_by("-created_at", "-id").first()
        text = _("Request %(reference)s (%(type)s): %(status)s.") % {
            "reference": case.reference,
            "type": case.service_type.name_es if lang == "es" else case.service_type.name_en,
            "status": case.get_status_display(),
        }
        if latest is not None and latest.message:
            text += " " + _("Latest: %(message)s") % {"message": latest.message[:200]}
        link = _site_link(self.site_url, case.reference or "")
        return f"{text} {link}".strip()

    # --- the conversation proper (inside translation.override) -------------------------------

    def _is_a_report(self, body: str) -> bool:
        """The line asks people to text a problem, so a bare "pothole" is a report; a
        question, a greeting or a request for a person goes to the assistant."""
        guess = assistant_actions.understand_text(body, self.conversation.language)
        self.guess = guess
        if guess.intent in ("report_problem", "greeting"):  # a hello gets the line's own prompt
            return True
        if guess.intent in ASSISTANT_INTENTS or QUESTION_CUES.search(body):
            return False
        return bool(queries.match_service_types(body, lang=self.conversation.language))

    def _assistant(self, body: str) -> str:
        reply = assistant_actions.answer_text(
            phone=self.conversation.phone,
            text=body,
            language=self.conversation.language,
            sid=self.sid,
            site_url=self.site_url,
            guess=self.guess,
        )
        self.event = f"assistant: {reply.intent or 'no reply'}"
        urls = " ".join(link["url"] for link in reply.links[:2])
        return fit_sms(f"{reply.text} {urls}".strip()) if reply.text else ""

    def _on_problem(self, body: str, is_new: bool) -> str:
        if not body:
            return self._ask_what()
        if not self._is_a_report(body):
            return self._assistant(body)
        lang = self.conversation.language
        matches = queries.match_service_types(body, lang=lang)
        address = queries.address_in_text(body)
        self.data["problem"] = body[:MAX_DESCRIPTION]
        if address is not None:
            self.data["address"] = address.line
        if not matches:
            self.event = "asked again what"
            greeting = _("Hello from %(city)s 311.") % {"city": settings.CITY_NAME}
            again = _("Sorry, we didn't recognise that.")
            return f"{greeting if is_new else again} {self._ask_what()}"
        if queries.is_confident(matches):
            return self._chosen(matches[0].code)
        self.data["choices"] = [
            {"code": m.code, "name_en": m.name_en, "name_es": m.name_es} for m in matches
        ]
        self.conversation.step = SmsStep.CHOOSE
        self.event = "offered choices"
        return self._choices_text()

    def _on_choice(self, body: str) -> str:
        choices = self.data.get("choices", [])
        answer = fold(body).strip(" .")
        ascii_number = re.fullmatch(r"[0-9]{1,3}", answer) is not None
        if ascii_number and 1 <= int(answer) <= len(choices):
            return self._chosen(choices[int(answer) - 1]["code"])
        if ascii_number and answer not in NONE_WORDS:
            self.event = "offered choices again"
            return self._choices_text()
        if answer in NONE_WORDS:
            self._restart()
            self.event = "no choice fitted"
            return _("Please describe the problem in other words.")
        self.conversation.step = SmsStep.WHAT
        self.data.pop("choices", None)
        return self._on_problem(body, False)

    def _chosen(self, code: str) -> str:
        self.data["service_code"] = code
        self.data.pop("choices", None)
        problem = self.data.get("problem", "")
        if "description" not in self.data and len(problem.split()) >= MIN_WORDS_FOR_DESCRIPTION:
            self.data["description"] = problem
        return self._next()

    def _on_where(self, body: str) -> str:
        address = queries.address_in_text(body)
        if address is None:
            self.event = "address not found"
            shown = " ".join(body.split())[:60]
            text = _(
                "We couldn't find \"%(text)s\" in the city's address list. Reply with the "
                "street number and street name, like 100 Main St."
            ) % {"text": shown}
            suggestions = queries.address_suggestions(body)
            if suggestions:
                text += " " + _("Did you mean: %(addresses)s?") % {
                    "addresses": "; ".join(suggestions)
                }
            return text
        self.data["address"] = address.line
        return self._next()

    def _on_description(self, body: str) -> str:
        if not body:
            return self._ask_describe_text()
        problem = self.data.get("problem", "")
        self.data["description"] = body if not problem or problem in body else f"{problem}: {body}"
        return self._next()

    def _next(self) -> str:
        if not self.data.get("address"):
            self.conversation.step = SmsStep.WHERE
            self.event = "asked where"
            return self._ask_where_text()
        if not self.data.get("description"):
            self.conversation.step = SmsStep.DESCRIBE
            self.event = "asked for a description"
            return self._ask_describe_text()
        return self._file()

    def _file(self) -> str:
        try:
            case, _created = submit_case(
                actor=None,
                service_code=self.data["service_code"],
                description=self.data["description"][:MAX_DESCRIPTION],
                channel=Channel.SMS,
                address_text=self.data["address"],
                contact_phone=self.conversation.phone,
                idempotency_key=f"sms:{self.sid}",
            )
        except ValidationError as error:
            self.event = "could not file"
            problems = [m for messages in error.message_dict.values() for m in messages]
            self._restart()
            return _("Sorry, we could not file that: %(problem)s Text us to start again.") % {
                "problem": " ".join(problems)
            }
        self.case = case
        self.event = "filed a case"
        self._restart()
        self.data["last_case"] = case.reference
        text = _("Thank you. Your request number is %(reference)s.") % {"reference": case.reference}
        link = _site_link(self.site_url, case.reference or "")
        if link:
            text += " " + _("Follow it at %(url)s") % {"url": link}
        return text + " " + _("Text STATUS for updates.")


# --- Email -----------------------------------------------------------------------------------


@dataclass
class EmailResult:
    outcome: str
    reference: str = ""
    duplicate: bool = False


def _result_of(inbound: InboundEmail, *, duplicate: bool) -> EmailResult:
    reference = inbound.case.reference or "" if inbound.case else ""
    return EmailResult(outcome=inbound.outcome, reference=reference, duplicate=duplicate)


def receive_email(*, actor: Any, raw: bytes, site_url: str = "") -> EmailResult:
    """An inbound email becomes a case, or a message on the case it replies to, or a
    question back asking where. Raises ValidationError (field errors) for bad input; a
    second delivery of the same Message-ID returns the first outcome."""
    message = parse_email(raw)
    previous = InboundEmail.objects.filter(message_id=message.message_id).select_related("case")
    if (first := previous.first()) is not None:
        return _result_of(first, duplicate=True)
    try:
        with transaction.atomic(durable=True):
            inbound = _EmailIntake(message, site_url=site_url, actor=actor).handle()
            return _result_of(inbound, duplicate=False)
    except IntegrityError:
        if (first := previous.first()) is not None:
            return _result_of(first, duplicate=True)
        raise


class _EmailIntake:
    def __init__(self, message: InboundMessage, *, site_url: str, actor: Any) -> None:
        self.message = message
        self.site_url = site_url
        self.actor = actor

    def _record(
        self, outcome: str, *, thread: EmailThread | None = None, case: Case | None = None
    ) -> InboundEmail:
        inbound = InboundEmail.objects.create(
            message_id=self.message.message_id, thread=thread, case=case, outcome=outcome
        )
        record_write(
            actor=self.actor,
            action=f"intake.email_{outcome}",
            summary=f"Inbound email {inbound.pk}: {inbound.get_outcome_display()}",
            obj=inbound,
            case_reference=case.reference or "" if case else "",
        )
        return inbound

    def handle(self) -> InboundEmail:
        message = self.message
        if message.is_automatic:
            return self._record(InboundOutcome.IGNORED)
        thread = queries.thread_for_message_ids(message.replies_to)
        if thread is not None and not _same_sender(message.from_email, thread):
            # A Message-ID is seen by everyone copied on the mail: it proves nothing alone.
            thread = None
        case = thread.case if thread is not None else None
        if thread is None:
            case = self._case_named_in_subject()
        if case is not None:
            text = message.text or message.subject
            if text.strip():
                add_requester_message(actor=None, case=case, text=text, channel=Channel.EMAIL)
            return self._record(InboundOutcome.THREADED, thread=thread, case=case)
        if thread is not None and thread.status == EmailThreadStatus.AWAITING_ADDRESS:
            return self._address_for(thread)
        return self._new_request()

    def _case_named_in_subject(self) -> Case | None:
        """ "[Ref 2026-000123]" in the subject threads the message, but only from the address
        the case was filed with: a reference alone is public, so it proves nothing."""
        reference = queries.reference_in(self.message.subject)
        case = queries.case_by_reference(reference) if reference else None
        if case is None:
            return None
        known = {case.contact_email.lower()}
        if case.requester is not None:
            known.add(case.requester.email.lower())
        return case if self.message.from_email in known else None

    def _new_request(self) -> InboundEmail:
        message = self.message
        subject, text = message.subject, message.text
        description = text if not subject or subject in text else f"{subject}\n\n{text}"
        description = description.strip()[:MAX_DESCRIPTION]
        if not description:
            raise ValidationError({"body": [_("The message has no text to act on.")]})
        lang = guess_language(f"{subject} {text}") or "en"
        query = " ".join(f"{subject} {text}".split()[:40])
        matches = queries.match_service_types(query, lang=lang, limit=1)
        if matches:
            service_code = matches[0].code
        else:
            fallback = queries.fallback_service_type()
            if fallback is None:
                raise ValidationError(
                    {"service_code": [_("No request type fits and there is no general one.")]}
                )
            service_code = fallback.code
        thread = EmailThread.objects.create(
            status=EmailThreadStatus.AWAITING_ADDRESS,
            from_email=message.from_email,
            from_name=message.from_name,
            subject=subject,
            description=description,
            service_code=service_code,
            language=lang,
        )
        address = queries.address_in_text(f"{subject}\n{text}")
        if address is None:
            self._ask_for_address(thread)
            return self._record(InboundOutcome.ASKED_ADDRESS, thread=thread)
        case = self._file(thread, address.line)
        return self._record(InboundOutcome.CREATED, thread=thread, case=case)

    def _address_for(self, thread: EmailThread) -> InboundEmail:
        address = queries.address_in_text(f"{self.message.subject}\n{self.message.text}")
        if address is None:
            self._ask_for_address(thread, again=True)
            return self._record(InboundOutcome.ASKED_ADDRESS, thread=thread)
        case = self._file(thread, address.line)
        return self._record(InboundOutcome.CREATED, thread=thread, case=case)

    def _file(self, thread: EmailThread, address_line: str) -> Case:
        key = hashlib.sha256(self.message.message_id.encode()).hexdigest()[:40]
        case, _created = submit_case(
            actor=None,
            service_code=thread.service_code,
            description=thread.description,
            channel=Channel.EMAIL,
            address_text=address_line,
            contact_email=thread.from_email,
            contact_name=thread.from_name,
            idempotency_key=f"email:{key}",
        )
        thread.case = case
        thread.status = EmailThreadStatus.FILED
        thread.save(update_fields=["case", "status", "updated_at"])
        with translation.override(thread.language):
            name = (
                case.service_type.name_es if thread.language == "es" else case.service_type.name_en
            )
            subject = f"[Ref {case.reference}] " + _("We received your request: %(type)s") % {
                "type": name
            }
            body = render_to_string(
                "intake/email/confirmation.txt",
                {
                    "case": case,
                    "type_name": name,
                    "url": _site_link(self.site_url, case.reference or ""),
                    "city": settings.CITY_NAME,
                },
            )
        _queue_email(thread, subject=subject, body=body, in_reply_to=self.message.message_id)
        return case

    def _ask_for_address(self, thread: EmailThread, *, again: bool = False) -> None:
        with translation.override(thread.language):
            subject = _("Where is it? Re: %(subject)s") % {"subject": thread.subject or "311"}
            body = render_to_string(
                "intake/email/ask_address.txt",
                {"again": again, "city": settings.CITY_NAME, "subject": thread.subject},
            )
        _queue_email(thread, subject=subject, body=body, in_reply_to=self.message.message_id)


def _same_sender(sender: str, thread: EmailThread) -> bool:
    sender = sender.lower()
    known = {thread.from_email.lower()}
    if thread.case is not None:
        known.add(thread.case.contact_email.lower())
        if thread.case.requester is not None:
            known.add(thread.case.requester.email.lower())
    return sender in known


def _queue_email(thread: EmailThread, *, subject: str, body: str, in_reply_to: str) -> None:
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "cityhall.local"
    outbound = OutboundEmail.objects.create(
        message_id=make_msgid(domain=domain),
        thread=thread,
        to=thread.from_email,
        subject=" ".join(subject.split())[:255],
        body=body,
        in_reply_to=in_reply_to,
    )
    from cityhall.intake.tasks import send_outbound_email_task

    transaction.on_commit(lambda: send_outbound_email_task.enqueue(outbound.pk))


def send_outbound_email(*, outbound_id: int) -> bool:
    """Send one stored email (the worker calls this). Already sent: nothing happens again."""
    outbound = OutboundEmail.objects.filter(pk=outbound_id, sent_at__isnull=True).first()
    if outbound is None:
        return False
    EmailMessage(
        subject=outbound.subject,
        body=outbound.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[outbound.to],
        headers={
            "Message-ID": outbound.message_id,
            "In-Reply-To": outbound.in_reply_to,
            "References": outbound.in_reply_to,
            "Auto-Submitted": "auto-replied",  # RFC 3834: autoresponders must not answer
        },
    ).send()
    with transaction.atomic(durable=True):
        sent = OutboundEmail.objects.filter(pk=outbound_id, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        record_write(
            actor=None,
            action="intake.email_sent",
            summary=f"Intake email {outbound_id} sent",
            obj=outbound,
            case_reference=outbound.thread.case.reference or "" if outbound.thread.case else "",
        )
    return bool(sent)


def erase_personal_data(*, user: Any, email: str, phone: str) -> int:
    """Account deletion: conversations and email threads from the resident's number and
    address go. A number that texted STOP keeps only its opt-out, which the carrier rules
    oblige us to honour."""
    touched = 0
    if phone:
        conversations = SmsConversation.objects.filter(phone=phone)
        touched += conversations.filter(opted_out_at__isnull=True).delete()[0]
        SmsMessage.objects.filter(conversation__phone=phone).delete()
        touched += conversations.update(collected={}, step=SmsStep.WHAT)
    if email:
        touched += EmailThread.objects.filter(from_email__iexact=email).delete()[0]
    return touched
