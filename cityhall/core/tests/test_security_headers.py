import logging

import pytest
from django.test import override_settings

from cityhall.core.logging import ScrubPIIFilter, scrub
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_pages_send_csp_and_hardening_headers(client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp
    assert "frame-ancestors 'none'" in csp
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@override_settings(SESSION_COOKIE_SECURE=True, CSRF_COOKIE_SECURE=True)
def test_session_cookie_is_secure_and_http_only(client):
    make_resident("cookie@example.org")
    response = client.post(
        "/accounts/login/",
        {"login": "cookie@example.org", "password": "correct-horse-battery-staple"},
    )
    cookie = response.cookies["sessionid"]
    assert cookie["secure"] and cookie["httponly"]
    assert cookie["samesite"] == "Lax"


def test_forms_need_csrf_token():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    response = strict.post("/accounts/signup/", {"email": "x@example.org"})
    assert response.status_code == 403


def test_passwords_are_hashed_with_argon2():
    user = make_resident()
    assert user.password.startswith("argon2")


def test_logs_do_not_carry_emails_or_phones():
    assert scrub("user jane.doe@example.org called from +1 410 555 0199") == (
        "user [email] called from [phone]"
    )
    assert scrub("text from 410-555-0199, (410) 555 0199 and +14105550199") == (
        "text from [phone], ([phone] and [phone]"
    )
    task = "Task id=2e485ba5-1234-4a7c-a10f-1a00901f37fc state=SUCCESSFUL"
    assert scrub(task) == task, "ids are not phone numbers"
    assert scrub("Not Found: /staff/cases/2026-000123/") == "Not Found: /staff/cases/2026-000123/"
    record = logging.LogRecord("x", logging.INFO, "", 0, "login for %s", ("a@b.org",), None)
    ScrubPIIFilter().filter(record)
    assert record.getMessage() == "login for [email]"


def test_health_check(client):
    assert client.get("/healthz").json() == {"status": "ok"}


def test_tracebacks_are_scrubbed_too():
    try:
        raise ValueError("bad input from jane.doe@example.org")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, "", 0, "oops", (), sys.exc_info())
    ScrubPIIFilter().filter(record)
    assert "jane.doe" not in record.exc_text and "[email]" in record.exc_text
