"""Notification emails as MIME bytes, written directly.

Django's EmailMultiAlternatives builds each message with the standard library's email
package, whose header folding and address parsing cost about a millisecond per message:
more than the SMTP conversation itself when a campaign sends a thousand a second. Our
messages always have the same simple shape (text and HTML alternatives in UTF-8, a few
known headers), so they are written here as bytes and handed to Django's email backend as
an EmailMessage whose `message()` returns them. Anything unusual (an address that is not
plain ASCII) goes through Django's own builder instead."""

from __future__ import annotations

import base64
import email.utils
import secrets
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives


def _clean(text: str) -> str:
    """No line breaks in a header value: a subject must never add headers of its own."""
    return " ".join(text.replace("\r", " ").replace("\n", " ").split())


def encode_header(text: str) -> str:
    """RFC 2047 encoded words for non-ASCII text (each at most 75 characters, on UTF-8
    character boundaries), folded; plain ASCII as it is."""
    text = _clean(text)
    if text.isascii() and text.isprintable() and "=?" not in text:
        return text
    words, chunk = [], b""
    for char in text:
        encoded = char.encode()
        if len(chunk) + len(encoded) > 45:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    if chunk:
        words.append(chunk)
    return "\r\n ".join(f"=?utf-8?b?{base64.b64encode(w).decode()}?=" for w in words)


def _body(text: str) -> bytes:
    return base64.encodebytes(text.encode()).replace(b"\n", b"\r\n")


class _RawMessage:
    """Enough of email.message.Message for Django's backends (SMTP, console, file, memory)."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def as_bytes(self, unixfrom: bool = False, linesep: str = "\n") -> bytes:
        if linesep == "\r\n":
            return self.data
        return self.data.replace(b"\r\n", linesep.encode())

    def as_string(self, unixfrom: bool = False, linesep: str = "\n") -> str:
        return self.as_bytes(linesep=linesep).decode()

    def get_charset(self) -> None:
        return None

    def __getitem__(self, name: str) -> str | None:
        head = self.data.split(b"\r\n\r\n", 1)[0].decode()
        for line in head.split("\r\n"):
            key, _, value = line.partition(":")
            if key.lower() == name.lower():
                return value.strip()
        return None


class PreparedEmail(EmailMessage):
    def __init__(self, *, raw: bytes, to: str, subject: str, text: str) -> None:
        super().__init__(subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL,
                         to=[to])  # fmt: skip
        self.raw = raw

    def message(self) -> Any:  # type: ignore[override]
        return _RawMessage(self.raw)


def build_email(
    *, to: str, subject: str, text: str, html: str, headers: dict[str, str]
) -> EmailMessage:
    """An email with text and (optionally) HTML alternatives, ready for a Django backend."""
    if not to.isascii() or "\n" in to or "\r" in to:
        fallback = EmailMultiAlternatives(
            subject=subject, body=text, from_email=settings.DEFAULT_FROM_EMAIL, to=[to],
            headers=headers,
        )  # fmt: skip
        if html:
            fallback.attach_alternative(html, "text/html")
        return fallback
    lines = [
        f"From: {encode_header(settings.DEFAULT_FROM_EMAIL)}",
        f"To: {to}",
        f"Subject: {encode_header(subject)}",
        f"Date: {email.utils.formatdate(localtime=False)}",
        "MIME-Version: 1.0",
    ]
    lines += [f"{name}: {encode_header(value)}" for name, value in headers.items()]
    if html:
        boundary = f"=_cityhall_{secrets.token_hex(12)}"
        lines.append(f'Content-Type: multipart/alternative; boundary="{boundary}"')
        head = ("\r\n".join(lines) + "\r\n\r\n").encode()
        part = '--{b}\r\nContent-Type: {t}; charset="utf-8"\r\nContent-Transfer-Encoding: base64\r\n\r\n'  # noqa: E501
        raw = (
            head
            + part.format(b=boundary, t="text/plain").encode()
            + _body(text)
            + part.format(b=boundary, t="text/html").encode()
            + _body(html)
            + f"--{boundary}--\r\n".encode()
        )
    else:
        lines += ['Content-Type: text/plain; charset="utf-8"', "Content-Transfer-Encoding: base64"]
        raw = ("\r\n".join(lines) + "\r\n\r\n").encode() + _body(text)
    return PreparedEmail(raw=raw, to=to, subject=subject, text=text)
