"""The Twilio SMS provider against the fake Twilio, both real, over real sockets: the wire
format, error classification, the kept-alive connection, reconciliation and receipts."""

import base64
import datetime as dt
import http.client
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

import pytest

from cityhall.intake.twilio import signature_is_valid
from cityhall.notifications.fake_twilio import (
    DEFAULT_ACCOUNT_SID,
    DEFAULT_AUTH_TOKEN,
    FakeTwilio,
    count_segments,
)
from cityhall.notifications.providers.base import Outgoing, ProviderError
from cityhall.notifications.providers.twilio import TwilioSmsProvider

SENDER = "+15005550006"
PHONE = "+14105550123"
CALLBACK_TOKEN = "callback-secret"


def sms(to=PHONE, text="Your request 2026-0042 was closed.", *, message_id=1, callback_url=""):
    return Outgoing(message_id, "sms", to, text, callback_url=callback_url)


def make_provider(base_url, **overrides):
    options = {
        "base_url": base_url,
        "account_sid": DEFAULT_ACCOUNT_SID,
        "auth_token": DEFAULT_AUTH_TOKEN,
        "from_number": SENDER,
        "timeout": 2.0,
    }
    return TwilioSmsProvider(**(options | overrides))


@pytest.fixture
def fake():
    with FakeTwilio(callback_token=CALLBACK_TOKEN) as server:
        yield server


@pytest.fixture
def provider(fake):
    provider = make_provider(fake.base_url)
    yield provider
    provider.close()


class Recorder:
    """A tiny real HTTP server that records requests and answers them with a fixed JSON."""

    def __init__(self, status=201, payload=None):
        self.requests = []
        self.status = status
        self.payload = payload or {"sid": "SM" + "0" * 32}
        recorder = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                length = int(self.headers.get("Content-Length", 0))
                body = self.rfile.read(length).decode()
                recorder.requests.append((self.path, dict(self.headers), parse_qsl(body)))
                data = json.dumps(recorder.payload).encode()
                self.send_response(recorder.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(
            target=self.server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
        ).start()

    def wait_for(self, count, timeout=5.0):
        deadline = time.monotonic() + timeout
        while len(self.requests) < count and time.monotonic() < deadline:
            time.sleep(0.01)
        return self.requests

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def recorder():
    recorder = Recorder()
    yield recorder
    recorder.close()


def raise_from_send(provider, message):
    with pytest.raises(ProviderError) as caught:
        provider.send(message)
    return caught.value


def fake_request(fake, method, path, *, auth=(DEFAULT_ACCOUNT_SID, DEFAULT_AUTH_TOKEN)):
    connection = http.client.HTTPConnection("127.0.0.1", fake.port, timeout=2)
    credentials = base64.b64encode(":".join(auth).encode()).decode()
    connection.request(method, path, headers={"Authorization": f"Basic {credentials}"})
    response = connection.getresponse()
    payload = json.loads(response.read())
    connection.close()
    return response.status, payload


# -- the wire format ---------------------------------------------------------------------------


def test_the_request_is_what_twilio_expects(recorder):
    provider = make_provider(recorder.url, account_sid="AC123", auth_token="secret")
    sid = provider.send(sms(callback_url="https://city.example/notifications/twilio/status"))
    provider.close()

    assert sid == "SM" + "0" * 32
    [(path, headers, fields)] = recorder.requests
    assert path == "/2010-04-01/Accounts/AC123/Messages.json"
    assert headers["Authorization"] == "Basic " + base64.b64encode(b"AC123:secret").decode()
    assert headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert dict(fields) == {
        "To": PHONE,
        "From": SENDER,
        "Body": "Your request 2026-0042 was closed.",
        "StatusCallback": "https://city.example/notifications/twilio/status",
    }


def test_a_messaging_service_replaces_the_from_number_and_no_callback_means_none(recorder):
    service = "MG" + "a" * 32
    provider = make_provider(recorder.url, from_number="", messaging_service_sid=service)
    provider.send(sms())
    provider.close()

    [(_, _, fields)] = recorder.requests
    assert dict(fields) == {"To": PHONE, "MessagingServiceSid": service, "Body": sms().text}


def test_the_fake_accepts_and_records_the_message(fake, provider):
    sid = provider.send(sms(callback_url="http://127.0.0.1:9/status", message_id=7))

    assert sid.startswith("SM") and len(sid) == 34 and int(sid[2:], 16) >= 0
    [record] = fake.messages()
    assert record["sid"] == sid
    assert record["to"] == PHONE
    assert record["from"] == SENDER
    assert record["body"] == sms().text
    assert record["status_callback"] == "http://127.0.0.1:9/status"
    assert record["num_segments"] == "1"
    assert record["idempotency_key"] == "cityhall-message-7"

    status, resource = fake_request(
        fake, "GET", f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages/{sid}.json"
    )
    assert status == 200
    assert resource["sid"] == sid and resource["status"] == "queued"
    assert resource["direction"] == "outbound-api" and resource["api_version"] == "2010-04-01"
    assert resource["price"] is None and resource["error_code"] is None
    assert dt.datetime.strptime(resource["date_created"], "%a, %d %b %Y %H:%M:%S %z")


@pytest.mark.parametrize(
    ("body", "segments"),
    [
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("a" * 306, 2),
        ("a" * 307, 3),
        ("€" * 80, 1),  # extension characters take two septets
        ("€" * 81, 2),
        ("é" * 160, 1),  # in the GSM-7 basic set
        ("ł" * 70, 1),  # not GSM-7: UCS-2
        ("ł" * 71, 2),
        ("🚧" * 35, 1),  # a surrogate pair is two UCS-2 units
    ],
)
def test_segments_are_counted_like_twilio(body, segments):
    assert count_segments(body) == segments


def test_the_fake_rejects_what_twilio_rejects(fake, provider):
    missing = raise_from_send(make_provider(fake.base_url, from_number="+1"), sms())
    assert (missing.code, missing.permanent) == ("21606", False)  # our setting, not the message
    too_long = raise_from_send(provider, sms(text="a" * 1601))
    assert (too_long.code, too_long.permanent) == ("21617", True)
    empty = raise_from_send(provider, sms(text=""))
    assert (empty.code, empty.permanent) == ("21602", True)
    assert fake.messages() == []

    status, error = fake_request(
        fake, "GET", f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages/SMnope.json"
    )
    assert (status, error["code"], error["status"]) == (404, 20404, 404)
    status, error = fake_request(
        fake, "GET", "/2010-04-01/Accounts/x/Messages.json", auth=("x", "y")
    )
    assert status == 401
    assert error == {
        "code": 20003,
        "message": "Authenticate",
        "more_info": "https://www.twilio.com/docs/errors/20003",
        "status": 401,
    }


# -- failures: permanent or retryable ----------------------------------------------------------


def test_an_invalid_number_fails_permanently_without_the_number_in_the_reason(fake, provider):
    message = sms(to="+15550001234", text="Meet me at 12 Oak St")
    error = raise_from_send(provider, message)

    assert error.permanent and error.code == "21211"
    assert "not a valid phone number" in error.reason
    assert "5550001234" not in error.reason and "Oak St" not in error.reason


def test_a_number_that_is_not_a_phone_number_is_refused_before_sending(fake, provider):
    error = raise_from_send(provider, sms(to="12"))
    assert error.permanent and error.code == "21211"
    assert fake.requests_handled == 0


def test_an_unsubscribed_recipient_fails_permanently(provider):
    error = raise_from_send(provider, sms(to="+15550021234"))
    assert error.permanent and error.code == "21610"


def test_a_server_error_is_retryable_and_the_retry_succeeds(fake, provider):
    message = sms(to="+15550011234")
    error = raise_from_send(provider, message)
    assert not error.permanent and error.code == "20503"

    sid = provider.send(message)
    assert [m["sid"] for m in fake.messages()] == [sid]


def test_wrong_credentials_are_retryable_and_say_so(fake):
    provider = make_provider(fake.base_url, auth_token="not-the-token")
    error = raise_from_send(provider, sms())
    provider.close()

    assert not error.permanent and error.code == "20003"
    assert "credentials" in error.reason
    assert fake.messages() == []


def test_rate_limiting_is_retryable():
    recorder = Recorder(status=429, payload={"code": 20429, "message": "Too Many Requests"})
    try:
        error = raise_from_send(make_provider(recorder.url), sms())
    finally:
        recorder.close()
    assert not error.permanent and error.code == "20429"


def test_missing_settings_are_retryable(fake):
    error = raise_from_send(make_provider(fake.base_url, account_sid=""), sms())
    assert not error.permanent and error.code == "not-configured"


def test_a_server_that_is_down_is_retryable():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    error = raise_from_send(make_provider(f"http://127.0.0.1:{port}"), sms())
    assert not error.permanent and error.code == "unreachable"


def test_a_lost_answer_is_retryable_is_not_resent_and_is_found_later(fake, provider):
    since = dt.datetime.now(dt.UTC)
    message = sms(to="+15550041234")
    error = raise_from_send(provider, message)

    assert not error.permanent and error.code == "answer-lost"
    [record] = fake.messages()  # accepted once, not resent behind our back
    assert provider.find_sent(message, since) == record["sid"]
    assert provider.send(sms()) != record["sid"]  # and the provider carries on


def test_a_slow_answer_times_out_as_retryable(fake):
    provider = make_provider(fake.base_url, timeout=0.2)
    error = raise_from_send(provider, sms(to="+15550051234"))
    provider.close()
    assert not error.permanent and error.code == "answer-lost"


# -- the kept-alive connection -----------------------------------------------------------------


def test_one_connection_carries_many_messages_and_survives_an_idle_close(fake, provider):
    sids = {provider.send(sms(text=f"Update {n}", message_id=n)) for n in range(200)}
    assert len(sids) == 200
    assert fake.connections_opened == 1

    assert fake.drop_idle_connections() == 1
    provider.send(sms(text="after the server closed the idle connection"))
    assert fake.connections_opened == 2
    assert len(fake.messages()) == 201


# -- reconciliation ----------------------------------------------------------------------------


def test_find_sent_finds_what_was_sent_across_pages(fake, provider):
    since = dt.datetime.now(dt.UTC)
    first = provider.send(sms(text="Message 0"))
    for n in range(1, 12):
        provider.send(sms(text=f"Message {n}"))
    provider.send(sms(to="+14105550199", text="Message 0"))
    provider.list_page_size = 5  # so the oldest message is on the third page

    assert provider.find_sent(sms(text="Message 0"), since) == first
    assert provider.find_sent(sms(text="Never sent"), since) is None
    assert provider.find_sent(sms(to="+14105550100", text="Message 0"), since) is None


def test_the_list_is_paged_newest_first_like_twilio(fake, provider):
    sids = [provider.send(sms(text=f"Message {n}")) for n in range(3)]
    provider.send(sms(to="+14105550199"))
    today = dt.datetime.now(dt.UTC).date().isoformat()
    path = f"/2010-04-01/Accounts/{DEFAULT_ACCOUNT_SID}/Messages.json"

    status, page = fake_request(
        fake, "GET", f"{path}?To=%2B14105550123&DateSent%3E={today}&PageSize=2"
    )
    assert status == 200
    assert [m["sid"] for m in page["messages"]] == [sids[2], sids[1]]
    assert (page["page"], page["page_size"], page["start"], page["end"]) == (0, 2, 0, 1)
    assert page["previous_page_uri"] is None
    assert page["first_page_uri"].startswith(path)

    status, page = fake_request(fake, "GET", page["next_page_uri"])
    assert [m["sid"] for m in page["messages"]] == [sids[0]]
    assert (page["page"], page["start"], page["end"]) == (1, 2, 2)
    assert page["next_page_uri"] is None
    assert page["previous_page_uri"] is not None

    status, page = fake_request(fake, "GET", f"{path}?DateSent%3C=2000-01-01")
    assert (status, page["messages"], page["next_page_uri"]) == (200, [], None)


def test_find_sent_ignores_messages_from_before_since(provider):
    provider.send(sms())
    later = dt.datetime.now(dt.UTC) + dt.timedelta(seconds=2)
    assert provider.find_sent(sms(), later) is None


def test_find_sent_counts_a_message_created_in_the_same_second_as_since(provider):
    since = dt.datetime.now(dt.UTC)
    sid = provider.send(sms())
    # Twilio's dates have whole seconds, so its date_created may read as before `since`.
    assert provider.find_sent(sms(), since.replace(microsecond=999_999)) == sid


# -- delivery receipts and the log -------------------------------------------------------------


def test_delivery_receipts_are_posted_and_signed(fake, provider, recorder):
    url = f"{recorder.url}/notifications/twilio/status?m=1"
    delivered = provider.send(sms(callback_url=url))
    undelivered = provider.send(sms(to="+15550031234", callback_url=url))
    assert fake.wait_for_callbacks()

    receipts = {
        dict(fields)["MessageSid"]: (headers, fields) for _, headers, fields in recorder.wait_for(2)
    }
    headers, fields = receipts[delivered]
    assert dict(fields) == {
        "MessageSid": delivered,
        "SmsSid": delivered,
        "MessageStatus": "delivered",
        "SmsStatus": "delivered",
        "To": PHONE,
        "From": SENDER,
        "AccountSid": DEFAULT_ACCOUNT_SID,
        "ApiVersion": "2010-04-01",
    }
    assert signature_is_valid(url, fields, headers["X-Twilio-Signature"], CALLBACK_TOKEN)
    assert not signature_is_valid(url, fields, headers["X-Twilio-Signature"], "other-token")

    headers, fields = receipts[undelivered]
    assert dict(fields)["MessageStatus"] == "undelivered"
    assert dict(fields)["ErrorCode"] == "30003"
    assert signature_is_valid(url, fields, headers["X-Twilio-Signature"], CALLBACK_TOKEN)
    assert (fake.callbacks_sent, fake.callbacks_failed) == (2, 0)


def test_a_receipt_that_cannot_be_delivered_is_counted_and_dropped(fake, provider):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    provider.send(sms(callback_url=f"http://127.0.0.1:{port}/status"))
    assert fake.wait_for_callbacks()
    assert (fake.callbacks_sent, fake.callbacks_failed) == (0, 1)


def test_the_log_has_one_json_line_per_accepted_message(tmp_path):
    log = tmp_path / "var" / "fake-twilio.jsonl"
    with FakeTwilio(log_path=log) as fake:
        provider = make_provider(fake.base_url)
        sids = [provider.send(sms(text=f"Line {n}\nwith a newline")) for n in range(3)]
        raise_from_send(provider, sms(to="+15550001234"))
        provider.close()

    lines = log.read_text().splitlines()
    assert [json.loads(line)["sid"] for line in lines] == sids
    assert json.loads(lines[0])["body"] == "Line 0\nwith a newline"


def test_memory_keeps_only_the_latest_messages_but_the_log_keeps_all(tmp_path):
    log = tmp_path / "fake-twilio.jsonl"
    with FakeTwilio(log_path=log, keep_messages=2) as fake:
        provider = make_provider(fake.base_url)
        sids = [provider.send(sms(text=f"Message {n}")) for n in range(3)]
        since = dt.datetime.now(dt.UTC) - dt.timedelta(minutes=1)
        assert provider.find_sent(sms(text="Message 0"), since) is None
        assert provider.find_sent(sms(text="Message 2"), since) == sids[2]
        provider.close()
        assert [m["sid"] for m in fake.messages()] == sids[1:]
        assert fake.messages_accepted == 3
    assert len(log.read_text().splitlines()) == 3


def test_from_settings_reads_the_twilio_settings(settings):
    settings.TWILIO_API_BASE_URL = "http://127.0.0.1:8031"
    settings.TWILIO_ACCOUNT_SID = DEFAULT_ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = DEFAULT_AUTH_TOKEN
    settings.TWILIO_FROM_NUMBER = SENDER
    settings.TWILIO_MESSAGING_SERVICE_SID = ""

    provider = TwilioSmsProvider.from_settings()
    assert provider.base_url == "http://127.0.0.1:8031"
    assert provider.account_sid == DEFAULT_ACCOUNT_SID
    assert provider.from_number == SENDER
    assert provider.channel == "sms"
