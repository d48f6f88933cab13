"""An agent opens a resident's record; an auditor finds that read in the audit log."""

import pytest

from cityhall.org.models import Role
from cityhall.testing import browser_sign_in_with_code, give_totp, make_resident, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_auditor_sees_an_agents_read_of_resident_data(page):
    make_resident("rosa.rivera@example.org")
    agent = make_staff(Role.AGENT, email="agent.smith@city.example", with_mfa=False)
    auditor = make_staff(Role.AUDITOR, email="auditor.jones@city.example", with_mfa=False)
    agent_secret, auditor_secret = give_totp(agent), give_totp(auditor)

    browser_sign_in_with_code(page, "agent.smith@city.example", agent_secret)
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

    browser_sign_in_with_code(page, "auditor.jones@city.example", auditor_secret)
    page.goto("/staff/")
    page.get_by_role("link", name="Audit log").click()
    page.axe.check(page)
    page.fill("input[name=subject]", "rosa.rivera")
    page.get_by_role("button", name="Filter").click()
    page.axe.check(page)
    row = page.locator("tbody tr").first
    assert "agent.smith@city.example" in row.inner_text()
    assert "resident.record_viewed" in row.inner_text()
