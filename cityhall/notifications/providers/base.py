"""What every delivery provider adapter offers the delivery worker.

An adapter hands one message to an outside provider (an SMTP server, a Twilio-compatible SMS
API) and says what happened in the provider's own terms, classified for the worker: a
provider reference when it was accepted, a permanent failure (do not try again: the number
is invalid, the address bounced) or a retryable one (5xx, 429, a timeout, a dropped
connection). `find_sent` lets the worker ask, after a crash, whether a message it may have
handed over already went out, so nothing is sent twice."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Protocol


@dataclass(frozen=True)
class Outgoing:
    message_id: int
    channel: str  # "email" or "sms"
    to: str  # an email address, or a phone number in E.164 (+15551234567)
    text: str
    subject: str = ""
    html: str = ""
    language: str = "en"
    headers: dict[str, str] = field(default_factory=dict)
    # Where the provider should post delivery receipts for this message ("" for none).
    callback_url: str = ""


class ProviderError(Exception):
    """The provider did not take the message. `permanent` failures are never retried."""

    def __init__(self, reason: str, *, permanent: bool, code: str = "") -> None:
        super().__init__(reason)
        self.reason = reason
        self.permanent = permanent
        self.code = code


class Provider(Protocol):
    channel: str

    def send(self, message: Outgoing) -> str:
        """Hand the message over; return the provider's id for it, or raise ProviderError."""

    def find_sent(self, message: Outgoing, since: dt.datetime) -> str | None:
        """The provider's id of this message if it was accepted after `since`, else None.
        Raise ProviderError when the provider cannot say (then the worker waits)."""

    def close(self) -> None:
        """Release connections."""
