"""A caseworker works the queue: spots the overdue case, takes it, updates the resident,
leaves an internal note, then closes two cases at once."""

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.cases import actions
from cityhall.cases.models import Case, Channel
from cityhall.org.models import Role
from cityhall.testing import (
    browser_sign_in_with_code,
    give_totp,
    make_request_type,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def file(description: str) -> Case:
    case, _ = actions.submit_case(
        actor=None,
        service_code="pothole",
        description=description,
        channel=Channel.SMS,
        address_text="3600 Falls Rd",
        contact_phone="410 555 0100",
    )
    actions.route_case(case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def test_agent_works_the_queue(page):
    transportation = make_request_type(sla_days=2).department
    worker = make_staff(Role.CASEWORKER, transportation, email="crew@city.example", with_mfa=False)
    secret = give_totp(worker)
    late, second, third = file("Old hole"), file("New hole"), file("Another hole")
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(days=1))

    browser_sign_in_with_code(page, worker.email, secret)
    page.goto("/staff/")
    page.get_by_role("link", name="Case queue").click()
    page.axe.check(page)
    first_row = page.locator("table.queue-table tbody tr").first
    assert late.reference in first_row.inner_text() and "Overdue" in first_row.inner_text()

    first_row.get_by_role("link", name=late.reference).click()
    page.axe.check(page)
    assert "+14105550100" in page.content(), "the caller's number, to call back"
    page.get_by_label("Assign to").select_option(label=worker.email)
    page.get_by_role("button", name="Assign", exact=True).click()
    page.get_by_label("New status").select_option(label="Scheduled")
    page.get_by_label("Public update (the resident sees this)").fill("A crew comes Tuesday.")
    page.get_by_role("button", name="Save status").click()
    page.get_by_label("Internal note (staff only)").fill("Needs the big plate.")
    page.get_by_role("button", name="Add note").click()
    page.axe.check(page)
    assert "Needs the big plate." in page.content()

    page.get_by_role("link", name="Back to the queue").click()
    page.get_by_label(f"Select {second.reference}").check()
    page.get_by_label(f"Select {third.reference}").check()
    page.get_by_label("With the selected cases").select_option(label="Resolved")
    page.get_by_role("button", name="Apply").click()
    page.axe.check(page)
    assert "Updated 2 cases." in page.content()

    late.refresh_from_db()
    assert late.assignee == worker and late.status == "scheduled"
    assert set(
        Case.objects.filter(pk__in=[second.pk, third.pk]).values_list("status", flat=True)
    ) == {"resolved"}
    page.goto(f"/cases/{late.reference}/")
    assert "A crew comes Tuesday." in page.content()
    assert "Needs the big plate." not in page.content()


def test_agent_files_for_a_caller_who_has_an_account(page):
    from cityhall.testing import make_resident

    transportation = make_request_type(sla_days=2).department
    agent = make_staff(Role.AGENT, transportation, email="agent@city.example", with_mfa=False)
    secret = give_totp(agent)
    caller = make_resident("caller@example.org")
    browser_sign_in_with_code(page, agent.email, secret)
    page.goto("/staff/cases/new/")
    page.axe.check(page)
    page.get_by_label("Caller's email or phone").fill("caller@example.org")
    page.get_by_role("button", name="Look up").click()
    page.axe.check(page)
    assert "No earlier requests." in page.content()
    page.get_by_label("What is the caller reporting?").select_option(label="Pothole")
    page.get_by_label("Description").fill("Caller says the hole is deep")
    page.get_by_label("Where").fill("3600 Falls Rd")
    page.get_by_role("button", name="File the request").click()
    page.axe.check(page)
    assert "Read the number to the caller." in page.content()
    case = Case.objects.get()
    assert case.requester == caller and case.channel == "phone"
