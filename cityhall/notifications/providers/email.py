"""Email through Django's email backends (SMTP in production, a local SMTP server in tests
and the demo). One connection is kept open across a batch."""

from __future__ import annotations

import contextlib
import datetime as dt
import smtplib
from typing import Any

from django.conf import settings
from django.core.mail import get_connection

from cityhall.notifications.mime import build_email
from cityhall.notifications.providers.base import Outgoing, ProviderError


def message_id_for(message_id: int) -> str:
    """The same Message-ID every time a message is sent: if a crash makes us send it again,
    mail clients show one message."""
    domain = settings.DEFAULT_FROM_EMAIL.rsplit("@", 1)[-1].strip("> ") or "cityhall.local"
    return f"<notification-{message_id}@{domain}>"


class EmailProvider:
    channel = "email"

    def __init__(self, connection: Any = None) -> None:
        self._connection = connection
        self._open = False

    def _ensure_open(self) -> Any:
        if self._connection is None:
            self._connection = get_connection(fail_silently=False)
        if not self._open:
            self._connection.open()
            self._open = True
        return self._connection

    def send(self, message: Outgoing) -> str:
        email = build_email(
            to=message.to,
            subject=message.subject,
            text=message.text,
            html=message.html,
            headers={"Message-ID": message_id_for(message.message_id), **message.headers},
        )
        try:
            self._ensure_open().send_messages([email])
        except smtplib.SMTPRecipientsRefused as refused:
            codes = [code for code, _text in refused.recipients.values()]
            permanent = all(500 <= code < 600 for code in codes)
            raise ProviderError(
                f"recipient refused ({', '.join(map(str, codes))})",
                permanent=permanent,
                code=str(codes[0]) if codes else "",
            ) from None
        except smtplib.SMTPResponseException as problem:
            self.close()
            raise ProviderError(
                f"SMTP {problem.smtp_code}",
                permanent=500 <= problem.smtp_code < 600,
                code=str(problem.smtp_code),
            ) from None
        except (TimeoutError, smtplib.SMTPException, OSError) as problem:
            self.close()
            raise ProviderError(
                f"SMTP connection problem ({type(problem).__name__})", permanent=False
            ) from None
        return message_id_for(message.message_id)

    def find_sent(self, message: Outgoing, since: dt.datetime) -> str | None:
        """SMTP cannot be asked what it accepted: say "not found", and the message is sent
        again with the same Message-ID (at least once, never silently lost)."""
        return None

    def close(self) -> None:
        if self._connection is not None and self._open:
            with contextlib.suppress(Exception):  # closing a broken connection may fail too
                self._connection.close()
        self._open = False
