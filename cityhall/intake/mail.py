"""Reading a raw inbound email (RFC 822 / 5322) into the few things intake needs."""

from __future__ import annotations

import hashlib
import html
import re
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage, Message
from email.utils import parseaddr

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from cityhall.core.text import clean
from cityhall.intake.text import strip_quoted

MAX_EMAIL_BYTES = 1024 * 1024
_MSGID = re.compile(r"<[^<>\s]{1,250}>")
_AUTOMATIC_SENDERS = ("mailer-daemon", "postmaster", "no-reply", "noreply", "do-not-reply")


@dataclass
class InboundMessage:
    message_id: str
    from_email: str
    from_name: str
    subject: str
    text: str  # the new part only: quotes and signature removed
    replies_to: list[str] = field(default_factory=list)  # In-Reply-To + References, newest first
    is_automatic: bool = False


def _header(message: Message, name: str) -> str:
    try:
        value = message.get(name)
    except (ValueError, IndexError, TypeError):  # a header the parser cannot make sense of
        return ""
    return " ".join(str(value).split()) if value is not None else ""


def _text_of(message: EmailMessage) -> str:
    part = message.get_body(preferencelist=("plain", "html"))
    if part is None:
        return ""
    try:
        content = part.get_content()
    except (LookupError, UnicodeError, AttributeError):  # unknown or lying charset
        payload = part.get_payload(decode=True)
        content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
    if not isinstance(content, str):
        return ""
    if part.get_content_type() == "text/html":
        content = re.sub(r"(?is)<(script|style)\b.*?</\1>", " ", content)
        content = re.sub(r"(?i)<br\s*/?>|</p>|</div>", "\n", content)
        content = html.unescape(strip_tags(content))
    return content


def _is_automatic(message: Message, from_email: str) -> bool:
    """Bounces, out-of-office replies and list mail: never answered (no mail loops)."""
    auto = _header(message, "Auto-Submitted").lower()
    precedence = _header(message, "Precedence").lower()
    return (
        (bool(auto) and auto != "no")
        or precedence in {"bulk", "junk", "list", "auto_reply"}
        or bool(_header(message, "X-Autoreply") or _header(message, "X-Autorespond"))
        or message.get_content_type() == "multipart/report"
        or from_email.split("@")[0].lower() in _AUTOMATIC_SENDERS
    )


def parse_email(raw: bytes) -> InboundMessage:
    """Raises ValidationError with field errors when this is not an email we can act on."""
    if len(raw) > MAX_EMAIL_BYTES:
        raise ValidationError({"message": [_("The message is larger than 1 MB.")]})
    if not raw.strip():
        raise ValidationError({"message": [_("The message is empty.")]})
    message = message_from_bytes(raw, policy=policy.default)
    if not isinstance(message, EmailMessage) or not list(message.keys()):
        raise ValidationError({"message": [_("This is not an email message (no headers).")]})
    name, address = parseaddr(_header(message, "From"))
    errors: dict[str, list[str]] = {}
    try:
        validate_email(address)
    except ValidationError:
        errors["from"] = [_("The message has no valid From address.")]
    if errors:
        raise ValidationError(errors)
    ids = _MSGID.findall(_header(message, "Message-ID"))
    # Without a Message-ID, the same bytes delivered twice still count as one message.
    message_id = ids[0] if ids else f"<sha256-{hashlib.sha256(raw).hexdigest()}@intake.invalid>"
    replies_to = _MSGID.findall(_header(message, "In-Reply-To"))
    replies_to += list(reversed(_MSGID.findall(_header(message, "References"))))
    subject = clean(_header(message, "Subject"))[:200]
    text = clean(strip_quoted(_text_of(message)))
    return InboundMessage(
        message_id=message_id,
        from_email=address.strip().lower()[:254],
        from_name=clean(name).strip()[:120],
        subject=subject,
        text=text,
        replies_to=list(dict.fromkeys(replies_to))[:50],
        is_automatic=_is_automatic(message, address),
    )
