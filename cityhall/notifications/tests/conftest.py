"""Real local providers for notification tests: an SMTP server (aiosmtpd) and the fake
Twilio, both on loopback, and a deliverer wired to them."""

from __future__ import annotations

import socket
import time
from email import message_from_bytes, policy
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from django.core.mail import get_connection

from cityhall.accounts.models import Profile
from cityhall.notifications.delivery import Deliverer
from cityhall.notifications.fake_twilio import FakeTwilio
from cityhall.notifications.providers.email import EmailProvider
from cityhall.notifications.providers.twilio import TwilioSmsProvider
from cityhall.org.models import Role
from cityhall.testing import make_department, make_request_type, make_resident, make_staff


class Mailbox:
    """What the SMTP server accepted: parsed messages with their envelope recipients."""

    def __init__(self) -> None:
        self.received: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def to(self, address: str) -> list[Any]:
        return [m for rcpt, m in self.received if address in rcpt]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def smtp_server():
    mailbox = Mailbox()
    controller = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    mailbox.port = controller.port  # type: ignore[attr-defined]
    yield mailbox
    controller.stop()


@pytest.fixture
def fake_twilio():
    fake = FakeTwilio().start()
    yield fake
    fake.stop()


@pytest.fixture
def deliverer(smtp_server, fake_twilio, settings):
    settings.PUBLIC_BASE_URL = "https://city.example"
    email = EmailProvider(
        connection=get_connection(
            "django.core.mail.backends.smtp.EmailBackend",
            host="127.0.0.1",
            port=smtp_server.port,
            use_tls=False,
            timeout=5,
        )
    )
    sms = TwilioSmsProvider(
        base_url=fake_twilio.base_url,
        account_sid=fake_twilio.account_sid,
        auth_token=fake_twilio.auth_token,
        from_number="+14105550311",
    )
    worker = Deliverer(providers={"email": email, "sms": sms})
    yield worker
    worker.close()


def drain(worker: Deliverer, rounds: int = 20) -> int:
    """Deliver until nothing is due, as a worker loop would."""
    total = 0
    for _ in range(rounds):
        done = worker.run_once()
        if not done:
            break
        total += done
    return total


def set_profile(user: Any, **fields: Any) -> Profile:
    profile = Profile.objects.get(account=user, is_primary=True)
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.save()
    return profile


@pytest.fixture
def transportation():
    return make_department("transportation", "Transportation")


@pytest.fixture
def pothole_type(transportation):
    return make_request_type(department=transportation)


@pytest.fixture
def caseworker(transportation):
    return make_staff(Role.CASEWORKER, transportation)


@pytest.fixture
def file_case(pothole_type):
    from cityhall.cases import actions
    from cityhall.cases.models import Case, Channel

    def make(requester: Any) -> Case:
        case, _ = actions.submit_case(
            actor=requester,
            service_code="pothole",
            description="A deep hole",
            channel=Channel.WEB,
            address_text="3600 Falls Rd",
        )
        actions.route_case(case_id=case.pk)
        return Case.objects.get(pk=case.pk)

    return make


def wait_for(predicate: Any, timeout: float = 5.0) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(0.02)
    return predicate()


__all__ = ["drain", "make_resident", "set_profile", "wait_for"]
