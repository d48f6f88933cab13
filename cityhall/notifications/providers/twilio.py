"""SMS through Twilio's Messages API (or anything speaking its wire format, such as
fake_twilio), without the Twilio SDK.

The worker sends a thousand messages a second or more from one process, so each provider
keeps one kept-alive connection instead of paying a TCP (and TLS) handshake per message.
A request is repeated only when it provably never reached the server; once it was written,
a lost answer is reported as retryable and the worker asks `find_sent` before sending again.
One instance per thread: the connection is not shared."""

from __future__ import annotations

import base64
import datetime as dt
import email.utils
import http.client
import json
import re
import select
import socket
import ssl
from typing import Any
from urllib.parse import quote, urlencode, urlsplit

from django.conf import settings

from cityhall.core.phones import normalise_phone
from cityhall.notifications.providers.base import Outgoing, ProviderError

API_VERSION = "2010-04-01"
DEFAULT_BASE_URL = "https://api.twilio.com"
FORM = "application/x-www-form-urlencoded"

# Twilio errors about our account or settings rather than about the message. They are
# retryable, like bad credentials: a wrong setting must not permanently fail every message.
_SETTINGS_CODES = frozenset({"20003", "20404", "21212", "21603", "21606", "21701"})
_SETTINGS_HINT = (
    "check TWILIO_API_BASE_URL, TWILIO_ACCOUNT_SID, TWILIO_FROM_NUMBER and "
    "TWILIO_MESSAGING_SERVICE_SID"
)
# Anything that may be a phone number, so error reasons never carry one into logs.
_NUMBER_LIKE = re.compile(r"\+?\d[\d ().-]{5,}\d")

_CONNECTION_ERRORS = (OSError, http.client.HTTPException)


class TwilioSmsProvider:
    channel = "sms"
    # Messages per page when listing; at most 1000, Twilio's limit.
    list_page_size = 1000

    def __init__(
        self,
        *,
        base_url: str,
        account_sid: str,
        auth_token: str,
        from_number: str = "",
        messaging_service_sid: str = "",
        timeout: float = 10.0,
    ) -> None:
        parts = urlsplit(base_url.rstrip("/"))
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise ValueError(f"Twilio base URL must be http(s)://host[:port]: {base_url!r}")
        self.base_url = base_url
        self.account_sid = account_sid
        self.from_number = from_number
        self.messaging_service_sid = messaging_service_sid
        self.timeout = timeout
        self._https = parts.scheme == "https"
        self._host = parts.hostname
        self._port = parts.port
        self._prefix = parts.path
        self._messages_path = (
            f"{self._prefix}/{API_VERSION}/Accounts/{quote(account_sid, safe='')}/Messages.json"
        )
        credentials = base64.b64encode(f"{account_sid}:{auth_token}".encode()).decode()
        self._headers = {
            "Authorization": f"Basic {credentials}",
            "Accept": "application/json",
            "User-Agent": "cityhall-notifications",
        }
        self._configured = bool(
            account_sid and auth_token and (from_number or messaging_service_sid)
        )
        self._connection: http.client.HTTPConnection | None = None

    @classmethod
    def from_settings(cls) -> TwilioSmsProvider:
        return cls(
            base_url=getattr(settings, "TWILIO_API_BASE_URL", "") or DEFAULT_BASE_URL,
            account_sid=getattr(settings, "TWILIO_ACCOUNT_SID", ""),
            auth_token=getattr(settings, "TWILIO_AUTH_TOKEN", ""),
            from_number=getattr(settings, "TWILIO_FROM_NUMBER", ""),
            messaging_service_sid=getattr(settings, "TWILIO_MESSAGING_SERVICE_SID", ""),
        )

    def send(self, message: Outgoing) -> str:
        to = _e164(message.to)
        if not to:
            raise ProviderError("not a phone number; not sent", permanent=True, code="21211")
        self._check_configured()
        fields = {"To": to, "Body": message.text}
        if self.messaging_service_sid:
            fields["MessagingServiceSid"] = self.messaging_service_sid
        else:
            fields["From"] = self.from_number
        if message.callback_url:
            fields["StatusCallback"] = message.callback_url
        headers = self._headers | {
            "Content-Type": FORM,
            # Not a Twilio feature: the fake (or a proxy) logs it, so duplicates show.
            "Idempotency-Key": f"cityhall-message-{message.message_id}",
        }
        body = urlencode(fields).encode()
        status, data = self._exchange("POST", self._messages_path, body, headers, repeatable=False)
        if status not in (200, 201):
            raise _failure(status, data, message)
        sid = _json(data).get("sid")
        if not isinstance(sid, str) or not sid:
            raise ProviderError(
                "Twilio accepted the message but returned no sid", permanent=False, code="no-sid"
            )
        return sid

    def find_sent(self, message: Outgoing, since: dt.datetime) -> str | None:
        to = _e164(message.to)
        if not to:
            return None
        self._check_configured()
        if since.tzinfo is None:
            since = since.replace(tzinfo=dt.UTC)
        since = since.astimezone(dt.UTC)
        # Twilio's dates have whole seconds: a message created in the same second as `since`
        # reads as slightly earlier, and must still count.
        floor = since.replace(microsecond=0)
        query = urlencode(
            {"To": to, "DateSent>": since.date().isoformat(), "PageSize": self.list_page_size}
        )
        path: str | None = f"{self._messages_path}?{query}"
        seen: set[str] = set()
        while path and path not in seen:
            seen.add(path)
            status, data = self._exchange("GET", path, None, self._headers, repeatable=True)
            if status != 200:
                error = _failure(status, data, message)
                error.permanent = False  # not knowing is never final: the worker asks again
                raise error
            page = _json(data)
            for item in page.get("messages") or []:
                if (
                    isinstance(item, dict)
                    and item.get("to") == to
                    and item.get("body") == message.text
                    and (created := _rfc2822(item.get("date_created"))) is not None
                    and created >= floor
                ):
                    return str(item["sid"])
            next_uri = page.get("next_page_uri")
            path = self._local_path(next_uri) if isinstance(next_uri, str) and next_uri else None
        return None

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None

    # -- the connection ----------------------------------------------------------------------

    def _check_configured(self) -> None:
        if not self._configured:
            raise ProviderError(
                f"Twilio is not configured: {_SETTINGS_HINT} (and TWILIO_AUTH_TOKEN)",
                permanent=False,
                code="not-configured",
            )

    def _local_path(self, uri: str) -> str:
        """A path on our host for a URI Twilio gave (relative to its API root, or absolute)."""
        parts = urlsplit(uri)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        if self._prefix and not path.startswith(self._prefix + "/"):
            path = self._prefix + path
        return path

    def _connect(self) -> http.client.HTTPConnection:
        if self._https:
            context = ssl.create_default_context()
            return http.client.HTTPSConnection(
                self._host, self._port, timeout=self.timeout, context=context
            )
        return http.client.HTTPConnection(self._host, self._port, timeout=self.timeout)

    def _exchange(
        self,
        method: str,
        path: str,
        body: bytes | None,
        headers: dict[str, str],
        *,
        repeatable: bool,
    ) -> tuple[int, bytes]:
        """One request and its whole response on the kept-alive connection. `repeatable`
        requests (reads) may be sent again if the answer is lost; others never are."""
        connection = self._connection
        if connection is not None and connection.sock is not None and _dropped(connection.sock):
            connection.close()  # the server closed it while idle: reconnect before writing
        if connection is None:
            connection = self._connection = self._connect()
        for attempt in (1, 2):
            reused = connection.sock is not None
            try:
                connection.request(method, path, body, headers)
            except _CONNECTION_ERRORS as error:
                connection.close()
                # A write that failed did not deliver a whole request, so nothing was acted
                # on: on a kept-alive connection that just went stale, try a fresh one.
                if reused and attempt == 1:
                    continue
                raise _unreachable(error) from None
            try:
                response = connection.getresponse()
                data = response.read()
            except _CONNECTION_ERRORS as error:
                connection.close()
                if repeatable and reused and attempt == 1:
                    continue
                raise ProviderError(
                    f"Twilio's answer was lost after the request was sent ({_describe(error)}); "
                    "whether it was accepted is unknown",
                    permanent=False,
                    code="answer-lost",
                ) from None
            return response.status, data
        raise AssertionError("unreachable")


def _dropped(sock: socket.socket) -> bool:
    """Whether an idle kept-alive socket became readable: the server closed it (or sent
    something unasked), so it must not carry another request."""
    try:
        poller = select.poll()
    except AttributeError:  # no poll() on Windows
        readable, _, _ = select.select([sock], [], [], 0)
        return bool(readable)
    poller.register(sock, select.POLLIN)
    return bool(poller.poll(0))


def _e164(number: str) -> str:
    """The number as Twilio wants it: + and digits. Numbers already in international form
    are kept as given, since a ten-digit one need not be North American."""
    if number.startswith("+"):
        digits = re.sub(r"\D", "", number)
        return f"+{digits}" if 8 <= len(digits) <= 15 else ""
    return normalise_phone(number)


def _json(data: bytes) -> dict[str, Any]:
    try:
        value = json.loads(data)
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


def _rfc2822(value: object) -> dt.datetime | None:
    if not isinstance(value, str):
        return None
    try:
        moment = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _describe(error: BaseException) -> str:
    return type(error).__name__ + (f": {error}" if str(error) else "")


def _unreachable(error: BaseException) -> ProviderError:
    return ProviderError(
        f"cannot reach Twilio ({_describe(error)}); the message was not sent",
        permanent=False,
        code="unreachable",
    )


def _scrub(text: str, message: Outgoing | None) -> str:
    """Twilio's error message without the recipient's number or the message text."""
    if message is not None and len(message.text) >= 4:
        text = text.replace(message.text, "<body>")
    return _NUMBER_LIKE.sub("<number>", text)[:200]


def _failure(status: int, data: bytes, message: Outgoing | None) -> ProviderError:
    """Classify an error answer: what the worker may retry, and what it must never."""
    error = _json(data)
    code = str(error.get("code") or "")
    detail = _scrub(str(error.get("message") or ""), message)
    said = f"Twilio error {code}: {detail}" if code else f"Twilio answered HTTP {status}"
    said += f" (HTTP {status})" if code else ""
    code = code or f"http-{status}"
    if status in (401, 403) or code == "20003":
        return ProviderError(
            f"Twilio refused the account credentials (HTTP {status}); check "
            "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN",
            permanent=False,
            code=code,
        )
    if status == 404 or code in _SETTINGS_CODES:
        return ProviderError(f"{said}; {_SETTINGS_HINT}", permanent=False, code=code)
    if status == 429 or status >= 500 or status < 400:
        return ProviderError(said, permanent=False, code=code)
    return ProviderError(said, permanent=True, code=code)
