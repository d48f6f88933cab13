"""Twilio's webhook conventions, without the Twilio SDK: the request signature and TwiML."""

from __future__ import annotations

import base64
import hashlib
import hmac
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit, urlunsplit
from xml.sax.saxutils import escape


def compute_signature(url: str, params: Iterable[tuple[str, str]], token: str) -> str:
    """X-Twilio-Signature as Twilio computes it: HMAC-SHA1 keyed with the auth token over the
    full URL followed by every POST parameter, sorted by name (then value), as name+value;
    base64-encoded."""
    data = url
    grouped: dict[str, set[str]] = {}
    for name, value in params:
        grouped.setdefault(name, set()).add(value)
    for name in sorted(grouped):
        for value in sorted(grouped[name]):
            data += name + value
    digest = hmac.new(token.encode(), data.encode("utf-8"), hashlib.sha1).digest()
    return base64.b64encode(digest).decode()


def _with_and_without_port(url: str) -> list[str]:
    """Twilio may sign the URL with or without the default port; accept either, as its own
    validator does (behind a proxy we rarely know which one it used)."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    userinfo = parts.netloc.rpartition("@")[0]
    prefix = f"{userinfo}@" if userinfo else ""
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    without = urlunsplit(parts._replace(netloc=prefix + host))
    with_port = urlunsplit(parts._replace(netloc=f"{prefix}{host}:{port}")) if port else without
    return [without, with_port]


def signature_is_valid(
    url: str, params: Iterable[tuple[str, str]], signature: str, token: str
) -> bool:
    if not token or not signature:
        return False
    params = list(params)
    return any(
        hmac.compare_digest(compute_signature(candidate, params, token), signature)
        for candidate in _with_and_without_port(url)
    )


def request_is_from_twilio(request: Any) -> bool:
    """A webhook request (inbound text, delivery receipt) carries Twilio's signature over
    our URL and its form fields, made with the account's auth token."""
    from django.conf import settings

    params = [(name, value) for name, values in request.POST.lists() for value in values]
    return signature_is_valid(
        request.build_absolute_uri(),
        params,
        request.headers.get("X-Twilio-Signature", ""),
        settings.TWILIO_AUTH_TOKEN,
    )


def twiml(message: str) -> str:
    """A messaging response: one <Message>, or none (an empty <Response/>, which sends
    nothing)."""
    head = '<?xml version="1.0" encoding="UTF-8"?>'
    if not message:
        return f"{head}<Response/>"
    return f"{head}<Response><Message>{escape(message)}</Message></Response>"
