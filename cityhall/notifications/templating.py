"""The words of messages: placeholders, the built-in defaults, SMS segments and the HTML
part of emails.

Staff write templates, so placeholders are plain named slots (`{{ case_number }}`), never a
template language that could reach into objects; each kind lists the slots it has, and a
template naming any other is refused when it is saved."""

from __future__ import annotations

import html
import re
from functools import lru_cache

from django.template.loader import render_to_string
from django.utils import translation

from cityhall.notifications.models import Channel, Kind

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z_][A-Za-z0-9_]*)\s*\}\}")

PLACEHOLDERS: dict[str, frozenset[str]] = {
    Kind.CASE_UPDATE: frozenset(
        {"name", "case_number", "service", "status", "note", "case_url", "expected_date"}
    ),
    Kind.REMINDER: frozenset({"name", "title", "due_date", "link"}),
    Kind.DIGEST: frozenset({"name", "count", "items", "link"}),
    Kind.NEWS: frozenset({"name", "link"}),
    Kind.EMERGENCY: frozenset({"name", "link"}),
}

# Kinds with saved templates (campaigns carry their own words).
EDITABLE_KINDS = (Kind.CASE_UPDATE, Kind.REMINDER, Kind.DIGEST, Kind.EMERGENCY)

# Values long enough to judge whether a text message stays within its segments.
SAMPLE_VALUES = {
    "name": "Alexandra",
    "case_number": "2026-123456",
    "service": "Pothole in the street",
    "status": "In progress",
    "note": "",
    "case_url": "https://city.example/requests/2026-123456/",
    "expected_date": "December 12, 2026",
    "title": "Dog licence renewal",
    "due_date": "December 12, 2026",
    "link": "https://city.example/account/inbox/",
    "count": "3",
    "items": "",
}

MAX_SMS_SEGMENTS = 3

# GSM 03.38 basic set and extension table: texts using only these are 7-bit encoded.
_GSM = (
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM_EXTENDED = "^{}\\[~]|€\f"
_GSM_SET = frozenset(_GSM)
_GSM_EXTENDED_SET = frozenset(_GSM_EXTENDED)


def unknown_placeholders(text: str, kind: str) -> list[str]:
    allowed = PLACEHOLDERS.get(kind, frozenset())
    return sorted({name for name in PLACEHOLDER.findall(text) if name not in allowed})


def render(text: str, values: dict[str, str]) -> str:
    return PLACEHOLDER.sub(lambda match: values.get(match.group(1), ""), text)


def sms_segments(text: str) -> int:
    """How many parts a text message is billed and delivered as: 160 GSM-7 characters in
    one part, 153 per part when split; 70 and 67 as soon as one character needs UCS-2."""
    if all(c in _GSM_SET or c in _GSM_EXTENDED_SET for c in text):
        length = sum(2 if c in _GSM_EXTENDED_SET else 1 for c in text)
        single, part = 160, 153
    else:
        length = sum(2 if ord(c) > 0xFFFF else 1 for c in text)
        single, part = 70, 67
    if length <= single:
        return 1
    return -(-length // part)


def fit_sms(text: str, limit: int = MAX_SMS_SEGMENTS) -> str:
    """Shorten a rendered text (a long staff note) to stay within `limit` segments."""
    if sms_segments(text) <= limit:
        return text
    low, high = 0, len(text)
    while low < high:
        middle = (low + high + 1) // 2
        if sms_segments(text[:middle] + "…") <= limit:
            low = middle
        else:
            high = middle - 1
    return text[:low].rstrip() + "…"


_URL = re.compile(r"(https?://[^\s<]+)")


def text_to_html_paragraphs(text: str) -> str:
    """Plain text as escaped HTML paragraphs with working links."""
    paragraphs = []
    for block in re.split(r"\n\s*\n", text.strip()):
        escaped = html.escape(block)
        linked = _URL.sub(r'<a href="\1">\1</a>', escaped)
        paragraphs.append("<p>" + linked.replace("\n", "<br>\n") + "</p>")
    return "\n".join(paragraphs)


_BODY_MARK = "\x00BODY\x00"
_UNSUBSCRIBE_MARK = "\x00UNSUBSCRIBE\x00"


@lru_cache(maxsize=16)
def _email_layout(language: str, subject: str) -> tuple[str, str]:
    """The HTML email around a body, rendered once per language and subject and filled in
    by string replacement: a campaign to a million people renders its layout once."""
    with translation.override(language):
        page = render_to_string(
            "notifications/email.html",
            {
                "subject": subject,
                "body": _BODY_MARK,
                "unsubscribe_url": _UNSUBSCRIBE_MARK,
                "language": language,
            },
        )
    head, _, tail = page.partition(_BODY_MARK)
    return head, tail


def email_html(*, language: str, subject: str, text: str, unsubscribe_url: str) -> str:
    head, tail = _email_layout(language, subject)
    page = head + text_to_html_paragraphs(text) + tail
    return page.replace(_UNSUBSCRIBE_MARK, html.escape(unsubscribe_url))


# The built-in words, used until staff save their own version of a template.
DEFAULTS: dict[tuple[str, str, str], tuple[str, str]] = {
    (Kind.CASE_UPDATE, Channel.EMAIL, "en"): (
        "Your request {{ case_number }}: {{ status }}",
        "Hello {{ name }},\n\nYour request {{ case_number }} ({{ service }}) is now: "
        "{{ status }}.\n\n{{ note }}\n\nSee its timeline: {{ case_url }}",
    ),
    (Kind.CASE_UPDATE, Channel.EMAIL, "es"): (
        "Su solicitud {{ case_number }}: {{ status }}",
        "Hola {{ name }}:\n\nSu solicitud {{ case_number }} ({{ service }}) está ahora: "
        "{{ status }}.\n\n{{ note }}\n\nVea su historial: {{ case_url }}",
    ),
    (Kind.CASE_UPDATE, Channel.SMS, "en"): (
        "",
        "City Hall: request {{ case_number }} ({{ service }}) is {{ status }}. {{ note }} "
        "{{ case_url }}",
    ),
    (Kind.CASE_UPDATE, Channel.SMS, "es"): (
        "",
        "Alcaldía: la solicitud {{ case_number }} ({{ service }}) está {{ status }}. "
        "{{ note }} {{ case_url }}",
    ),
    (Kind.CASE_UPDATE, Channel.INBOX, "en"): (
        "Request {{ case_number }}: {{ status }}",
        "{{ service }}: {{ status }}. {{ note }}",
    ),
    (Kind.CASE_UPDATE, Channel.INBOX, "es"): (
        "Solicitud {{ case_number }}: {{ status }}",
        "{{ service }}: {{ status }}. {{ note }}",
    ),
    (Kind.REMINDER, Channel.EMAIL, "en"): (
        "Reminder: {{ title }} by {{ due_date }}",
        "Hello {{ name }},\n\nA reminder: {{ title }} is due on {{ due_date }}.\n\n{{ link }}",
    ),
    (Kind.REMINDER, Channel.EMAIL, "es"): (
        "Recordatorio: {{ title }} antes del {{ due_date }}",
        "Hola {{ name }}:\n\nLe recordamos: {{ title }} vence el {{ due_date }}.\n\n{{ link }}",
    ),
    (Kind.REMINDER, Channel.SMS, "en"): (
        "",
        "City Hall reminder: {{ title }} is due {{ due_date }}. {{ link }}",
    ),
    (Kind.REMINDER, Channel.SMS, "es"): (
        "",
        "Recordatorio de la Alcaldía: {{ title }} vence el {{ due_date }}. {{ link }}",
    ),
    (Kind.REMINDER, Channel.INBOX, "en"): ("{{ title }}", "Due on {{ due_date }}."),
    (Kind.REMINDER, Channel.INBOX, "es"): ("{{ title }}", "Vence el {{ due_date }}."),
    (Kind.DIGEST, Channel.EMAIL, "en"): (
        "Your city updates: {{ count }} new",
        "Hello {{ name }},\n\nHere is what happened since yesterday:\n\n{{ items }}\n\n"
        "All your messages: {{ link }}",
    ),
    (Kind.DIGEST, Channel.EMAIL, "es"): (
        "Sus novedades de la ciudad: {{ count }}",
        "Hola {{ name }}:\n\nEsto es lo que pasó desde ayer:\n\n{{ items }}\n\n"
        "Todos sus mensajes: {{ link }}",
    ),
    (Kind.DIGEST, Channel.SMS, "en"): (
        "",
        "City Hall: {{ count }} updates for you today. {{ link }}",
    ),
    (Kind.DIGEST, Channel.SMS, "es"): (
        "",
        "Alcaldía: {{ count }} novedades para usted hoy. {{ link }}",
    ),
    (Kind.EMERGENCY, Channel.EMAIL, "en"): (
        "Emergency alert from City Hall",
        "{{ name }}, there is an emergency alert for you. What to do: {{ link }}",
    ),
    (Kind.EMERGENCY, Channel.EMAIL, "es"): (
        "Alerta de emergencia de la Alcaldía",
        "{{ name }}, hay una alerta de emergencia para usted. Qué hacer: {{ link }}",
    ),
    (Kind.EMERGENCY, Channel.SMS, "en"): ("", "City Hall EMERGENCY alert. What to do: {{ link }}"),
    (Kind.EMERGENCY, Channel.SMS, "es"): (
        "",
        "ALERTA de emergencia de la Alcaldía. Qué hacer: {{ link }}",
    ),
    (Kind.EMERGENCY, Channel.INBOX, "en"): ("Emergency alert", "What to do: {{ link }}"),
    (Kind.EMERGENCY, Channel.INBOX, "es"): ("Alerta de emergencia", "Qué hacer: {{ link }}"),
}
