"""A stand-in for Twilio's Messages API, for development, tests and load tests.

It speaks Twilio's wire format (form-encoded POSTs with Basic auth, JSON message resources,
paged lists, signed status callbacks), so the real provider adapter talks to it unchanged.
HTTP/1.1 is parsed by hand on asyncio: a framework would be the bottleneck long before one
core stops sustaining thousands of requests a second.

Simulated recipients, chosen by how the 'To' number begins, let tests exercise every path:

    +1555000...  400, code 21211 (not a valid phone number): a permanent failure
    +1555001...  503 the first time each (To, Body) is seen, then accepted: retryable
    +1555002...  400, code 21610 (the recipient replied STOP): a permanent failure
    +1555003...  accepted; the delivery receipt says undelivered, ErrorCode 30003
    +1555004...  accepted and recorded, then the connection is dropped unanswered (the
                 client cannot know the message went out and must ask the list endpoint)
    +1555005...  accepted and recorded, answered only after 2 seconds (client timeouts)

Any other valid number is accepted and, when a callback token was given and the request had
a StatusCallback, receipted as delivered. The latest accepted messages are kept in memory
(for the list endpoint and `messages()`) and, with a log path, every one is appended to a
JSON-lines file, one whole line per write, so the log stays complete if the process is killed.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import binascii
import contextlib
import datetime as dt
import email.utils
import hmac
import http
import http.client
import json
import math
import os
import queue
import re
import signal
import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

from cityhall.intake.twilio import compute_signature

API_VERSION = "2010-04-01"
DEFAULT_ACCOUNT_SID = "ACfake0000000000000000000000000000"
DEFAULT_AUTH_TOKEN = "fake-twilio-auth"
DEFAULT_PORT = 8031
# The sender Twilio would pick from a Messaging Service's pool.
POOL_NUMBER = "+15005550006"
MAX_BODY_CHARS = 1600
SLOW_ANSWER_SECONDS = 2.0

MAX_HEAD_BYTES = 16 * 1024
MAX_REQUEST_BYTES = 256 * 1024

_MESSAGES_PATH = re.compile(
    r"^/2010-04-01/Accounts/(?P<account>[^/]+)/Messages(?:/(?P<sid>[^/]+))?\.json$"
)
_E164 = re.compile(r"\+\d{8,15}")
_SENDER = re.compile(r"\+\d{8,15}|\d{5,6}|(?=.*[A-Za-z])[A-Za-z0-9 ]{1,11}")
_SERVICE_SID = re.compile(r"MG[0-9a-fA-F]{32}")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")

# GSM 03.38: the basic set costs one septet, the extension table two (escape + character).
_GSM7_BASIC = frozenset(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
_GSM7_EXTENSION = frozenset("\f^{}\\[~]|€")
_GSM7 = _GSM7_BASIC | _GSM7_EXTENSION


def count_segments(body: str) -> int:
    """How many SMS parts the body takes: GSM-7 when every character has a septet encoding
    (160 alone, 153 per part when split), else UCS-2 (70 alone, 67 per part)."""
    chars = set(body)
    if chars <= _GSM7:
        septets = len(body) + sum(body.count(c) for c in chars & _GSM7_EXTENSION)
        return 1 if septets <= 160 else math.ceil(septets / 153)
    units = len(body.encode("utf-16-le")) // 2
    return 1 if units <= 70 else math.ceil(units / 67)


def twilio_error(code: int, message: str, status: int) -> dict[str, Any]:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


@dataclass(slots=True)
class _Request:
    method: str
    target: str
    headers: dict[str, str]
    body: bytes
    keep_alive: bool


@dataclass(slots=True)
class _Stored:
    resource: dict[str, Any]
    record: dict[str, Any]
    day: dt.date


class _Connection(asyncio.Protocol):
    """One client connection: parses pipelined requests as bytes arrive and answers them in
    order."""

    def __init__(self, fake: FakeTwilio) -> None:
        self.fake = fake
        self.transport: asyncio.Transport | None = None
        self.buffer = bytearray()
        self.last_active = time.monotonic()
        self.held = False  # an answer is being delayed; later requests wait behind it
        self.closing = False
        self.continued = False  # "100 Continue" already sent for the request being read

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        assert isinstance(transport, asyncio.Transport)
        self.transport = transport
        self.fake._connections.add(self)
        self.fake.connections_opened += 1

    def connection_lost(self, exc: Exception | None) -> None:
        self.closing = True
        self.fake._connections.discard(self)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        self.last_active = time.monotonic()
        self.process()

    @property
    def idle(self) -> bool:
        return not self.buffer and not self.held and not self.closing

    def process(self) -> None:
        while not self.held and not self.closing:
            request = self._next_request()
            if request is None:
                return
            self.fake._handle(self, request)

    def _next_request(self) -> _Request | None:
        while self.buffer.startswith(b"\r\n"):  # stray line ends between requests are allowed
            del self.buffer[:2]
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            if len(self.buffer) > MAX_HEAD_BYTES:
                self.fail(431, "Request header fields too large")
            return None
        lines = bytes(self.buffer[:end]).decode("latin-1").split("\r\n")
        parts = lines[0].split(" ")
        if len(parts) != 3 or parts[2] not in ("HTTP/1.1", "HTTP/1.0"):
            self.fail(400, "Malformed request line")
            return None
        headers: dict[str, str] = {}
        for line in lines[1:]:
            name, colon, value = line.partition(":")
            name = name.lower()
            value = value.strip()
            if not colon or not name or name != name.strip():
                self.fail(400, "Malformed header")
                return None
            if name == "content-length" and headers.get(name, value) != value:
                self.fail(400, "Conflicting Content-Length")
                return None
            headers[name] = value
        if "transfer-encoding" in headers:
            self.fail(501, "Transfer-Encoding is not supported; send Content-Length")
            return None
        length_text = headers.get("content-length", "0")
        if not length_text.isascii() or not length_text.isdigit():
            self.fail(400, "Malformed Content-Length")
            return None
        length = int(length_text)
        if end + 4 + length > MAX_REQUEST_BYTES:
            self.fail(413, "Request too large")
            return None
        if len(self.buffer) < end + 4 + length:
            if not self.continued and headers.get("expect", "").lower() == "100-continue":
                self.continued = True
                self.write(b"HTTP/1.1 100 Continue\r\n\r\n")
            return None
        body = bytes(self.buffer[end + 4 : end + 4 + length])
        del self.buffer[: end + 4 + length]
        self.continued = False
        tokens = {t.strip().lower() for t in headers.get("connection", "").split(",")}
        keep_alive = "close" not in tokens and (parts[2] == "HTTP/1.1" or "keep-alive" in tokens)
        return _Request(parts[0], parts[1], headers, body, keep_alive)

    def write(self, data: bytes) -> None:
        if self.transport is not None and not self.closing:
            self.transport.write(data)

    def answer(
        self,
        status: int,
        payload: dict[str, Any],
        *,
        keep_alive: bool,
        delay: float = 0.0,
        extra_headers: str = "",
    ) -> None:
        body = json.dumps(payload, separators=(",", ":")).encode()
        head = (
            f"HTTP/1.1 {status} {http.HTTPStatus(status).phrase}\r\n"
            f"Date: {self.fake._http_date()}\r\n"
            "Content-Type: application/json; charset=utf-8\r\n"
            f"Content-Length: {len(body)}\r\n"
            f"Connection: {'keep-alive' if keep_alive else 'close'}\r\n"
            f"{extra_headers}\r\n"
        )
        data = head.encode("latin-1") + body
        if delay > 0:
            self.held = True
            asyncio.get_running_loop().call_later(delay, self._release, data, keep_alive)
            return
        self.write(data)
        if not keep_alive:
            self.close()

    def _release(self, data: bytes, keep_alive: bool) -> None:
        self.held = False
        self.write(data)
        if not keep_alive:
            self.close()
        else:
            self.process()

    def fail(self, status: int, message: str) -> None:
        self.answer(status, twilio_error(20001, message, status), keep_alive=False)

    def close(self) -> None:
        self.closing = True
        if self.transport is not None:
            self.transport.close()


class _Receipts:
    """Posts delivery receipts from background threads, so answering the send never waits
    for the application's webhook. Failed receipts are counted and dropped."""

    def __init__(self, token: str, delay: float, threads: int = 2) -> None:
        self.token = token
        self.delay = delay
        self.sent = 0
        self.failed = 0
        self._pending = 0
        self._done = threading.Condition()
        self._queue: queue.SimpleQueue[tuple[float, str, dict[str, str]] | None]
        self._queue = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._run, daemon=True, name=f"fake-twilio-receipts-{i}")
            for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, url: str, params: dict[str, str]) -> None:
        with self._done:
            self._pending += 1
        self._queue.put((time.monotonic() + self.delay, url, params))

    def wait(self, timeout: float) -> bool:
        with self._done:
            return self._done.wait_for(lambda: self._pending == 0, timeout)

    def stop(self) -> None:
        for _ in self._threads:
            self._queue.put(None)
        for thread in self._threads:
            thread.join(timeout=2)

    def _run(self) -> None:
        connections: dict[tuple[str, str], http.client.HTTPConnection] = {}
        while (item := self._queue.get()) is not None:
            due, url, params = item
            if (wait := due - time.monotonic()) > 0:
                time.sleep(wait)
            ok = self._post(connections, url, params)
            with self._done:
                if ok:
                    self.sent += 1
                else:
                    self.failed += 1
                self._pending -= 1
                self._done.notify_all()
        for connection in connections.values():
            connection.close()

    def _post(
        self,
        connections: dict[tuple[str, str], http.client.HTTPConnection],
        url: str,
        params: dict[str, str],
    ) -> bool:
        parts = urlsplit(url)
        key = (parts.scheme, parts.netloc)
        path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        body = urlencode(params).encode()
        headers = {
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Twilio-Signature": compute_signature(url, params.items(), self.token),
            "I-Twilio-Idempotency-Token": f"{params['MessageSid']}-{params['MessageStatus']}",
            "User-Agent": "TwilioProxy/1.1",
        }
        for attempt in range(2):
            connection = connections.get(key)
            reused = connection is not None
            if connection is None:
                connection_class = (
                    http.client.HTTPSConnection
                    if parts.scheme == "https"
                    else http.client.HTTPConnection
                )
                connection = connections[key] = connection_class(parts.netloc, timeout=5)
            try:
                connection.request("POST", path, body, headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                connection.close()
                del connections[key]
                if reused and attempt == 0:
                    continue  # a stale kept-alive connection; receipts are safe to repeat
                return False
            return 200 <= response.status < 300
        return False


class FakeTwilio:
    """A fake Twilio Messages API on one asyncio loop. `start()` serves from a daemon thread
    (for tests); `serve_forever()` serves in the calling thread (for the command)."""

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        log_path: str | os.PathLike[str] | None = None,
        account_sid: str = DEFAULT_ACCOUNT_SID,
        auth_token: str = DEFAULT_AUTH_TOKEN,
        callback_token: str | None = None,
        *,
        callback_delay: float = 0.0,
        idle_timeout: float | None = 60.0,
        keep_messages: int = 500_000,
    ) -> None:
        self.host = host
        self.port = port
        self.log_path = Path(log_path) if log_path else None
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.callback_token = callback_token
        self.callback_delay = callback_delay
        self.idle_timeout = idle_timeout
        self.connections_opened = 0
        self.requests_handled = 0
        self._connections: set[_Connection] = set()
        self._lock = threading.Lock()
        self.keep_messages = keep_messages
        self.messages_accepted = 0
        self._stored: deque[_Stored] = deque()
        self._by_sid: dict[str, _Stored] = {}
        self._by_to: dict[str, deque[_Stored]] = {}
        self._failed_once: set[tuple[str, str]] = set()
        self._log_fd: int | None = None
        self._receipts: _Receipts | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stopped: asyncio.Future[None] | None = None
        self._thread: threading.Thread | None = None
        self._startup_error: BaseException | None = None
        self._clock = (0, "")

    # -- life cycle --------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"http://{host}:{self.port}"

    def start(self) -> FakeTwilio:
        """Serve from a daemon thread; return once listening (`port` is then the real one)."""
        ready = threading.Event()
        self._thread = threading.Thread(
            target=lambda: asyncio.run(self._serve(ready.set)), daemon=True, name="fake-twilio"
        )
        self._thread.start()
        if not ready.wait(timeout=10):
            raise RuntimeError("fake Twilio did not start")
        if self._startup_error is not None:
            raise self._startup_error
        return self

    def stop(self) -> None:
        loop, stopped = self._loop, self._stopped
        if loop is not None and stopped is not None and not loop.is_closed():
            loop.call_soon_threadsafe(_finish, stopped)
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def serve_forever(self, on_ready: Callable[[FakeTwilio], None] | None = None) -> None:
        """Serve in this thread until SIGTERM or KeyboardInterrupt."""
        asyncio.run(self._serve(lambda: on_ready(self) if on_ready else None))

    def __enter__(self) -> FakeTwilio:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    async def _serve(self, on_ready: Callable[[], object]) -> None:
        loop = self._loop = asyncio.get_running_loop()
        stopped = self._stopped = loop.create_future()
        try:
            if self.log_path is not None:
                self.log_path.parent.mkdir(parents=True, exist_ok=True)
                self._log_fd = os.open(self.log_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
            server = await loop.create_server(
                lambda: _Connection(self), self.host, self.port, backlog=1024
            )
        except OSError as error:
            self._startup_error = error
            self._close_log()
            on_ready()
            return
        self.port = server.sockets[0].getsockname()[1]
        if self.callback_token:
            self._receipts = _Receipts(self.callback_token, self.callback_delay)
        if threading.current_thread() is threading.main_thread():
            loop.add_signal_handler(signal.SIGTERM, _finish, stopped)
        sweeper = loop.create_task(self._close_idle_forever()) if self.idle_timeout else None
        on_ready()
        try:
            await stopped
        finally:
            if sweeper is not None:
                sweeper.cancel()
            server.close()
            for connection in list(self._connections):
                connection.close()
            await server.wait_closed()
            if self._receipts is not None:
                self._receipts.stop()
            self._close_log()

    def _close_log(self) -> None:
        if self._log_fd is not None:
            os.close(self._log_fd)
            self._log_fd = None

    async def _close_idle_forever(self) -> None:
        assert self.idle_timeout
        while True:
            await asyncio.sleep(min(1.0, self.idle_timeout / 2))
            cutoff = time.monotonic() - self.idle_timeout
            for connection in list(self._connections):
                if connection.idle and connection.last_active < cutoff:
                    connection.close()

    # -- for tests and load tests ------------------------------------------------------------

    def messages(self) -> list[dict[str, Any]]:
        """The accepted messages kept in memory (the latest `keep_messages`), oldest first, as
        logged: sid, to, from, body, status_callback, date_created, ..."""
        with self._lock:
            return [dict(stored.record) for stored in self._stored]

    @property
    def open_connections(self) -> int:
        return len(self._connections)

    @property
    def callbacks_sent(self) -> int:
        return self._receipts.sent if self._receipts else 0

    @property
    def callbacks_failed(self) -> int:
        return self._receipts.failed if self._receipts else 0

    def wait_for_callbacks(self, timeout: float = 5.0) -> bool:
        """True once every receipt queued so far was posted (or given up on)."""
        return self._receipts.wait(timeout) if self._receipts else True

    def drop_idle_connections(self) -> int:
        """Close every kept-alive connection not in the middle of a request, as a server does
        when its idle timeout expires; return how many. Returns once they are closed."""
        assert self._loop is not None
        return asyncio.run_coroutine_threadsafe(self._drop_idle(), self._loop).result(timeout=5)

    async def _drop_idle(self) -> int:
        dropped = [c for c in self._connections if c.idle]
        for connection in dropped:
            connection.close()
        while any(c in self._connections for c in dropped):
            await asyncio.sleep(0.001)
        return len(dropped)

    # -- requests ----------------------------------------------------------------------------

    def _http_date(self) -> str:
        now = int(time.time())
        if self._clock[0] != now:
            self._clock = (now, email.utils.formatdate(now, usegmt=True))
        return self._clock[1]

    def _authorised(self, request: _Request) -> bool:
        scheme, _, encoded = request.headers.get("authorization", "").partition(" ")
        if scheme.lower() != "basic":
            return False
        try:
            sid, _, token = base64.b64decode(encoded, validate=True).decode().partition(":")
        except (binascii.Error, UnicodeDecodeError):
            return False
        return hmac.compare_digest(sid.encode(), self.account_sid.encode()) and (
            hmac.compare_digest(token.encode(), self.auth_token.encode())
        )

    def _handle(self, connection: _Connection, request: _Request) -> None:
        self.requests_handled += 1
        keep_alive = request.keep_alive
        path, _, query = request.target.partition("?")
        match = _MESSAGES_PATH.match(path)
        if match is None:
            message = f"The requested resource {path} was not found"
            connection.answer(404, twilio_error(20404, message, 404), keep_alive=keep_alive)
            return
        if not self._authorised(request):
            connection.answer(
                401,
                twilio_error(20003, "Authenticate", 401),
                keep_alive=keep_alive,
                extra_headers='WWW-Authenticate: Basic realm="Twilio API"\r\n',
            )
            return
        if match["account"] != self.account_sid:
            message = f"The requested resource {path} was not found"
            connection.answer(404, twilio_error(20404, message, 404), keep_alive=keep_alive)
            return
        if match["sid"] is None and request.method == "POST":
            self._create(connection, request, keep_alive)
        elif match["sid"] is None and request.method == "GET":
            status, payload = self._list(path, query)
            connection.answer(status, payload, keep_alive=keep_alive)
        elif request.method == "GET":
            with self._lock:
                stored = self._by_sid.get(match["sid"])
            if stored is None:
                message = f"The requested resource {path} was not found"
                connection.answer(404, twilio_error(20404, message, 404), keep_alive=keep_alive)
            else:
                connection.answer(200, stored.resource, keep_alive=keep_alive)
        else:
            message = f"Method {request.method} not allowed"
            connection.answer(405, twilio_error(20004, message, 405), keep_alive=keep_alive)

    def _create(self, connection: _Connection, request: _Request, keep_alive: bool) -> None:
        try:
            fields = dict(parse_qsl(request.body.decode(), keep_blank_values=True))
        except UnicodeDecodeError:
            fields = {}
        problem = self._refusal(fields)
        if problem is not None:
            status, code, message = problem
            connection.answer(status, twilio_error(code, message, status), keep_alive=keep_alive)
            return
        to, body = fields["To"], fields["Body"]
        sender = fields.get("From", "")
        service = fields.get("MessagingServiceSid", "")
        callback = fields.get("StatusCallback", "")
        resource = self._accept(
            to=to,
            sender=sender,
            service=service,
            body=body,
            callback=callback,
            idempotency_key=request.headers.get("idempotency-key")
            or request.headers.get("i-twilio-idempotency-token", ""),
        )
        if callback and self._receipts is not None:
            # Queued before answering, so whoever got the answer can wait for the receipt.
            self._receipts.submit(callback, self._receipt(resource, service))
        if to.startswith("+1555004"):
            connection.close()
        else:
            delay = SLOW_ANSWER_SECONDS if to.startswith("+1555005") else 0.0
            connection.answer(201, resource, keep_alive=keep_alive, delay=delay)

    def _refusal(self, fields: dict[str, str]) -> tuple[int, int, str] | None:
        """Why Twilio would refuse this message (status, error code, message), or None."""
        to = fields.get("To", "")
        sender = fields.get("From", "")
        service = fields.get("MessagingServiceSid", "")
        body = fields.get("Body", "")
        callback = fields.get("StatusCallback", "")
        if not to:
            return 400, 21604, "A 'To' phone number is required."
        if not _E164.fullmatch(to):
            return 400, 21211, f"The 'To' number {to[:20]} is not a valid phone number."
        if not sender and not service:
            return 400, 21603, "A 'From' phone number is required."
        if service and not _SERVICE_SID.fullmatch(service):
            return 404, 21701, "The Messaging Service does not exist."
        if sender and not _SENDER.fullmatch(sender):
            return (
                400,
                21606,
                "The 'From' phone number provided is not a valid message-capable Twilio "
                "phone number for this destination.",
            )
        if not body:
            return 400, 21602, "Message body is required."
        if len(body) > MAX_BODY_CHARS:
            return 400, 21617, "The concatenated message body exceeds the 1600 character limit."
        if callback and not callback.startswith(("http://", "https://")):
            return 400, 21609, "The StatusCallback URL is not valid."
        if to.startswith("+1555000"):
            return 400, 21211, f"The 'To' number {to} is not a valid phone number."
        if to.startswith("+1555002"):
            return 400, 21610, "Attempt to send to unsubscribed recipient (replied STOP)."
        if to.startswith("+1555001"):
            with self._lock:
                first = (to, body) not in self._failed_once
                self._failed_once.add((to, body))
            if first:
                return 503, 20503, "Service Unavailable"
        return None

    def _accept(
        self, *, to: str, sender: str, service: str, body: str, callback: str, idempotency_key: str
    ) -> dict[str, Any]:
        now = dt.datetime.now(dt.UTC).replace(microsecond=0)
        stamp = email.utils.format_datetime(now)
        sid = "SM" + os.urandom(16).hex()
        uri = f"/{API_VERSION}/Accounts/{self.account_sid}/Messages/{sid}.json"
        segments = str(count_segments(body))
        resource: dict[str, Any] = {
            "account_sid": self.account_sid,
            "api_version": API_VERSION,
            "body": body,
            "date_created": stamp,
            "date_sent": stamp,
            "date_updated": stamp,
            "direction": "outbound-api",
            "error_code": None,
            "error_message": None,
            "from": sender or None,
            "messaging_service_sid": service or None,
            "num_media": "0",
            "num_segments": segments,
            "price": None,
            "price_unit": "USD",
            "sid": sid,
            "status": "queued",
            "subresource_uris": {"media": uri.removesuffix(".json") + "/Media.json"},
            "to": to,
            "uri": uri,
        }
        record = {
            "sid": sid,
            "to": to,
            "from": sender,
            "messaging_service_sid": service,
            "body": body,
            "status_callback": callback,
            "date_created": stamp,
            "num_segments": segments,
            "idempotency_key": idempotency_key,
        }
        stored = _Stored(resource, record, now.date())
        with self._lock:
            self.messages_accepted += 1
            self._stored.append(stored)
            self._by_sid[sid] = stored
            self._by_to.setdefault(to, deque()).append(stored)
            if len(self._stored) > self.keep_messages:  # bounded memory in long load tests
                oldest = self._stored.popleft()
                del self._by_sid[oldest.resource["sid"]]
                same_to = self._by_to[oldest.resource["to"]]
                same_to.popleft()
                if not same_to:
                    del self._by_to[oldest.resource["to"]]
            if self._log_fd is not None:
                line = (json.dumps(record, ensure_ascii=False) + "\n").encode()
                while line:  # regular files take the whole line at once; loop for safety
                    line = line[os.write(self._log_fd, line) :]
        return resource

    def _receipt(self, resource: dict[str, Any], service: str) -> dict[str, str]:
        undelivered = resource["to"].startswith("+1555003")
        status = "undelivered" if undelivered else "delivered"
        params = {
            "MessageSid": resource["sid"],
            "SmsSid": resource["sid"],
            "MessageStatus": status,
            "SmsStatus": status,
            "To": resource["to"],
            "From": resource["from"] or POOL_NUMBER,
            "AccountSid": self.account_sid,
            "ApiVersion": API_VERSION,
        }
        if service:
            params["MessagingServiceSid"] = service
        if undelivered:
            params["ErrorCode"] = "30003"
        return params

    def _list(self, path: str, query: str) -> tuple[int, dict[str, Any]]:
        """A page of messages, newest first, filtered like Twilio's list: To, From, DateSent
        (exact day), DateSent> (on or after) and DateSent< (on or before)."""
        params = dict(parse_qsl(query, keep_blank_values=True))
        filters = {
            name: params[name]
            for name in ("To", "From", "DateSent", "DateSent>", "DateSent<")
            if params.get(name)
        }
        days: dict[str, dt.date] = {}
        for name in ("DateSent", "DateSent>", "DateSent<"):
            if name in filters:
                text = filters[name]
                if not _DATE.fullmatch(text):
                    return 400, twilio_error(20001, f"Invalid {name}: expected YYYY-MM-DD", 400)
                try:
                    days[name] = dt.date.fromisoformat(text)
                except ValueError:
                    return 400, twilio_error(20001, f"Invalid {name}: expected YYYY-MM-DD", 400)
        page_size = _int(params.get("PageSize"), 50, low=1, high=1000)
        page = _int(params.get("Page"), 0, low=0, high=10**9)
        with self._lock:
            candidates = list(
                self._by_to.get(filters["To"], ()) if "To" in filters else self._stored
            )
        candidates.reverse()
        matching = [
            s.resource
            for s in candidates
            if ("From" not in filters or s.resource["from"] == filters["From"])
            and ("DateSent" not in days or s.day == days["DateSent"])
            and ("DateSent>" not in days or s.day >= days["DateSent>"])
            and ("DateSent<" not in days or s.day <= days["DateSent<"])
        ]
        start = page * page_size
        token = params.get("PageToken", "")
        if token.startswith("PA"):  # "after this sid": stable while newer messages arrive
            for index, resource in enumerate(matching):
                if resource["sid"] == token[2:]:
                    start = index + 1
                    break
        items = matching[start : start + page_size]

        def page_uri(number: int, page_token: str = "") -> str:
            query = dict(filters, PageSize=str(page_size), Page=str(number))
            if page_token:
                query["PageToken"] = page_token
            return f"{path}?{urlencode(query)}"

        more = start + len(items) < len(matching)
        return 200, {
            "messages": items,
            "page": page,
            "page_size": page_size,
            "start": start,
            "end": start + max(len(items) - 1, 0),
            "uri": page_uri(page, token),
            "first_page_uri": page_uri(0),
            "next_page_uri": page_uri(page + 1, "PA" + items[-1]["sid"]) if more else None,
            "previous_page_uri": page_uri(page - 1) if page > 0 else None,
        }


def _finish(future: asyncio.Future[None]) -> None:
    if not future.done():
        future.set_result(None)


def _int(text: str | None, default: int, *, low: int, high: int) -> int:
    if not text or not text.isascii() or not text.isdigit():
        return default
    return max(low, min(high, int(text)))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT)
    parser.add_argument("--log", default=None, help="Append every accepted message as JSON.")
    parser.add_argument("--account-sid", default=DEFAULT_ACCOUNT_SID)
    parser.add_argument("--auth-token", default=DEFAULT_AUTH_TOKEN)
    parser.add_argument(
        "--callback-token",
        default=None,
        help="Sign and post delivery receipts with this token (the app's TWILIO_AUTH_TOKEN); "
        "without it no receipts are posted.",
    )
    parser.add_argument(
        "--callback-delay", type=float, default=0.0, help="Seconds before posting a receipt."
    )
    parser.add_argument(
        "--idle-timeout",
        type=float,
        default=60.0,
        help="Close kept-alive connections idle this long (0: never).",
    )
    parser.add_argument(
        "--keep-messages",
        type=int,
        default=500_000,
        help="How many of the latest messages to keep in memory for listing.",
    )


def from_options(options: dict[str, Any]) -> FakeTwilio:
    return FakeTwilio(
        host=options["host"],
        port=options["port"],
        log_path=options["log"],
        account_sid=options["account_sid"],
        auth_token=options["auth_token"],
        callback_token=options["callback_token"],
        callback_delay=options["callback_delay"],
        idle_timeout=options["idle_timeout"] or None,
        keep_messages=options["keep_messages"],
    )


def describe(fake: FakeTwilio) -> str:
    log = f", logging to {fake.log_path}" if fake.log_path else ""
    return f"Fake Twilio listening on {fake.base_url} (account {fake.account_sid}){log}"


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Run a fake Twilio Messages API.")
    add_arguments(parser)
    fake = from_options(vars(parser.parse_args(argv)))
    with contextlib.suppress(KeyboardInterrupt):
        fake.serve_forever(on_ready=lambda f: print(describe(f), flush=True))


if __name__ == "__main__":
    main()
