"""A resident asks the chat on the home page, gets an answer with its link, then asks for a
person; an agent sees the whole conversation in the staff console and answers in the same
thread, and the resident reads the answer in their chat."""

import pytest
from playwright.sync_api import expect

from cityhall.org.models import Role
from cityhall.testing import browser_sign_in_with_code, give_totp, make_department, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_chat_answers_with_a_link_then_a_person_answers(
    page, _browser, live_server, assistant_city
):
    agent = make_staff(
        Role.AGENT, make_department("customer-service", "311"), email="sam@city.example",
        with_mfa=False,
    )  # fmt: skip
    secret = give_totp(agent)

    page.goto("/")
    page.get_by_text("Ask a question").click()
    page.get_by_label("Your message").fill("How do I pay a parking ticket?")
    page.get_by_role("button", name="Send").click()
    chat = page.locator(".chat-widget .chat-log")
    expect(chat).to_contain_text("ticket number")
    expect(chat.get_by_role("link", name="How do I pay a parking ticket?")).to_be_visible()
    page.axe.check(page)

    page.get_by_role("link", name="Open the full chat").click()
    expect(page.get_by_role("heading", name="Ask the city")).to_be_visible()
    page.axe.check(page)
    page.get_by_label("Your message").fill("Can I talk to a person please?")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".chat-status")).to_contain_text("A person has been asked to help")

    staff_context = _browser.new_context(bypass_csp=True, base_url=live_server.url, locale="en-US")
    staff = staff_context.new_page()
    staff.set_default_timeout(10_000)
    staff.axe = page.axe
    browser_sign_in_with_code(staff, agent.email, secret)
    staff.goto("/staff/")
    staff.get_by_role("link", name="Residents waiting for a person").click()
    staff.axe.check(staff)
    staff.get_by_role("link", name="Waiting for a person").click()
    expect(staff.locator(".chat-log")).to_contain_text("How do I pay a parking ticket?")
    expect(staff.locator(".chat-log")).to_contain_text("Can I talk to a person please?")
    staff.axe.check(staff)
    staff.get_by_label("Your reply").fill("Hi, this is Sam at 311. How can I help?")
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.locator(".messages")).to_contain_text("Reply sent.")
    staff_context.close()

    # The resident's open chat picks the answer up by itself (htmx polls every 5 s) …
    expect(page.locator(".chat-log")).to_contain_text("Hi, this is Sam at 311", timeout=12_000)
    expect(page.locator(".chat-status")).to_contain_text("You are talking with city staff")
    # … and without JavaScript a reload shows it too.
    page.reload()
    expect(page.locator(".chat-agent")).to_contain_text("Hi, this is Sam at 311")
    page.axe.check(page)
