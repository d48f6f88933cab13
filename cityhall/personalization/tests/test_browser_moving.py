"""A new resident declares "moving to the city", follows the moving journey, dismisses a
suggestion and turns personal suggestions off."""

import pytest
from playwright.sync_api import expect

from cityhall.personalization.models import Dismissal, EngagementEvent
from cityhall.personalization.tests.factories import make_moving_catalog
from cityhall.testing import browser_sign_in, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_moving_journey_dismiss_and_switch_off(page):
    make_moving_catalog()
    resident = make_resident("newcomer@example.org")
    browser_sign_in(page, resident.email)
    page.goto("/")
    page.axe.check(page)
    expect(page.locator("#for-you")).to_contain_text("For you")
    page.get_by_role("link", name="All suggestions, your journeys and how we choose them").click()
    page.axe.check(page)
    expect(page.locator("h1")).to_contain_text("For you")

    # Personal suggestions on, then a service viewed: that is history kept with consent.
    page.get_by_role("button", name="Turn on personal suggestions").click()
    page.axe.check(page)
    expect(page.locator(".messages")).to_contain_text("Personal suggestions are on.")
    page.goto("/services/start-stop-water-service/")
    page.axe.check(page)
    assert EngagementEvent.objects.count() == 1

    # Declare the life event: the journey is laid out with progress.
    page.goto("/for-you/")
    page.get_by_role("link", name="Tell us about a life event").click()
    page.axe.check(page)
    page.get_by_role("button", name="Show my steps").click()
    page.axe.check(page)
    expect(page.locator(".error-summary, .errorlist").first).to_contain_text(
        "Choose the life event you are going through."
    )
    page.get_by_label("Moving to the city").check()
    page.get_by_role("button", name="Show my steps").click()
    page.axe.check(page)
    expect(page.locator("h1")).to_contain_text("Moving to the city")
    expect(page.locator("main")).to_contain_text("0 of 3 steps done")
    page.locator("li", has_text="Start water service").get_by_role(
        "button", name="Mark as done"
    ).click()
    page.axe.check(page)
    expect(page.locator("main")).to_contain_text("1 of 3 steps done")

    # For you: the journey's next step first, with why; dismiss another suggestion.
    page.get_by_role("link", name="For you").first.click()
    page.axe.check(page)
    first = page.locator("#suggestions li").first
    expect(first).to_contain_text("Trash day")
    expect(first).to_contain_text("Next step for “Moving to the city” (1 of 3 done)")
    expect(page.locator("#journeys ~ ul")).to_contain_text("1 of 3 steps done")
    page.locator("#suggestions li", has_text="Report a pothole").get_by_role(
        "button", name="Not for me"
    ).click()
    expect(page.locator("#suggestions")).not_to_contain_text("Report a pothole")
    page.axe.check(page)
    assert Dismissal.objects.get().key == "service:pothole-report"

    # Off: history deleted, suggestions still there (profile, season, place).
    page.get_by_role("button", name="Turn off personal suggestions").click()
    page.axe.check(page)
    expect(page.locator(".messages")).to_contain_text("Personal suggestions are off.")
    expect(page.locator("#suggestions li").first).to_contain_text("Trash day")
    expect(page.get_by_role("button", name="Turn on personal suggestions")).to_be_visible()
    assert EngagementEvent.objects.count() == 0
