"""An agent opens a resident's record; an auditor finds that read in the audit log."""

import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from cityhall.org.models import Role
from cityhall.testing import PASSWORD, give_totp, make_resident, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def staff_sign_in(page, email: str, secret: str) -> None:
    page.goto("/accounts/login/")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.axe.check(page)
    for _ in range(2):
        page.fill("input[name=code]", format_hotp_value(hotp_value(secret, int(time.time()) // 30)))
        page.locator("main form button[type=submit]").first.click()
        page.wait_for_load_state()
        if page.locator("input[name=code]").count() == 0:
            return
        time.sleep(31 - time.time() % 30)
    raise AssertionError("code refused")


def test_auditor_sees_an_agents_read_of_resident_data(page):
    make_resident("rosa.rivera@example.org")
    agent = make_staff(Role.AGENT, email="agent.smith@city.example", with_mfa=False)
    auditor = make_staff(Role.AUDITOR, email="auditor.jones@city.example", with_mfa=False)
    agent_secret, auditor_secret = give_totp(agent), give_totp(auditor)

    staff_sign_in(page, "agent.smith@city.example", agent_secret)
    page.goto("/staff/")
    page.axe.check(page)
    page.get_by_role("link", name="Find a resident").click()
    page.axe.check(page)
    page.fill("input[name=q]", "rosa")
    page.get_by_role("button", name="Search").click()
    page.axe.check(page)
    page.get_by_role("link", name="rosa.rivera@example.org").click()
    page.axe.check(page)
    assert "recorded in the audit log" in page.content()
    page.locator("header").get_by_role("button", name="Sign out").click()

    staff_sign_in(page, "auditor.jones@city.example", auditor_secret)
    page.goto("/staff/")
    page.get_by_role("link", name="Audit log").click()
    page.axe.check(page)
    page.fill("input[name=subject]", "rosa.rivera")
    page.get_by_role("button", name="Filter").click()
    page.axe.check(page)
    row = page.locator("tbody tr").first
    assert "agent.smith@city.example" in row.inner_text()
    assert "resident.record_viewed" in row.inner_text()
