"""A resident's first visit, as a person would do it, in a real browser."""

import json
import re

import pytest
from django.core import mail

from cityhall.testing import (
    PASSWORD,
    browser_sign_in,
    browser_sign_in_with_code,
    confirm_password_if_asked,
    current_totp,
    make_address,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now(secret: str) -> str:
    return current_totp(secret)


def test_sign_up_verify_profiles_spanish_totp_and_sign_back_in(page, live_server):
    email = "new.resident@example.org"
    page.goto("/")
    page.axe.check(page)
    page.get_by_role("link", name="Create an account").first.click()
    page.axe.check(page)
    page.fill("input[name=email]", email)
    page.fill("input[name=password1]", PASSWORD)
    page.fill("input[name=password2]", PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    page.axe.check(page)
    assert "Verify" in page.content()

    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[-1].body).group(0)
    page.goto(link.replace("http://testserver", live_server.url))
    page.axe.check(page)
    page.get_by_role("button", name="Confirm").click()
    page.axe.check(page)

    page.goto("/account/")
    page.axe.check(page)
    page.get_by_role("link", name="Add a profile").click()
    page.axe.check(page)
    page.fill("input[name=name]", "Sam")
    page.get_by_label("Student").check()
    page.get_by_role("button", name="Add profile").click()
    page.axe.check(page)
    assert "Profile “Sam” added." in page.content()

    page.select_option("#profile-switch", label="Sam")
    page.get_by_role("button", name="Switch").click()
    page.axe.check(page)
    assert "Sam" in page.locator(".message").inner_text()

    page.get_by_role("button", name="Español").click()
    page.axe.check(page)
    assert page.locator("html").get_attribute("lang") == "es"
    page.goto("/")
    page.axe.check(page)
    assert "Hola, Sam" in page.content()
    assert page.get_by_role("link", name="Saltar al contenido principal").count() == 1

    page.goto("/accounts/2fa/totp/activate/")
    page.axe.check(page)
    confirm_password_if_asked(page)  # signed in by the email link, not by password
    secret = page.locator("#authenticator_secret").input_value()
    page.fill("input[name=code]", totp_now(secret))
    page.locator("main form button[type=submit]").first.click()
    page.axe.check(page)

    page.locator("header").get_by_role("button", name=re.compile("Cerrar sesión|Sign out")).click()
    browser_sign_in_with_code(page, email, secret)  # password, then the authenticator code
    page.goto("/account/")
    page.axe.check(page)
    assert "Sam" in page.content()


def test_resident_downloads_their_data(page, live_server):
    from cityhall.testing import make_resident

    make_address("3600 Falls Rd")
    make_resident("downloader@example.org")
    browser_sign_in(page, "downloader@example.org")
    page.goto("/account/")
    page.get_by_role("link", name=re.compile("Edit .* profile")).first.click()
    page.axe.check(page)
    page.fill("input[name=address]", "3600 Falls Rd")
    page.fill("input[name=label]", "Home")
    page.get_by_role("button", name="Save address").click()
    page.axe.check(page)
    assert "Hampden" in page.content()

    page.get_by_role("link", name="Your data and privacy").click()
    page.axe.check(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download my data").click()
    data = json.loads(download_info.value.path().read_text())
    assert data["account"]["email"] == "downloader@example.org"
    assert data["profiles"][0]["addresses"][0]["line"] == "3600 Falls Rd"
