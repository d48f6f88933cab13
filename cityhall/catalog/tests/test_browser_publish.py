"""A caseworker changes a service, a supervisor publishes it, and search finds the new words
without restarting anything."""

import pytest

from cityhall.org.models import Role
from cityhall.testing import (
    browser_sign_in_with_code,
    fresh_search_index,
    give_totp,
    make_department,
    make_service,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_staff_publish_a_change_that_search_finds(page, run_worker):
    parks = make_department("parks", "Parks")
    make_service("pavilion", "Reserve a pavilion", "Reservar un pabellón", department=parks)
    editor = make_staff(Role.CASEWORKER, parks, email="editor@city.example", with_mfa=False)
    reviewer = make_staff(Role.SUPERVISOR, parks, email="boss@city.example", with_mfa=False)
    editor_secret, reviewer_secret = give_totp(editor), give_totp(reviewer)
    fresh_search_index()

    page.goto("/search/?q=gazebo")
    assert "couldn" in page.content(), "no result for the new word yet"

    browser_sign_in_with_code(page, "editor@city.example", editor_secret)
    page.goto("/staff/")
    page.get_by_role("link", name="Catalog").click()
    page.axe.check(page)
    page.get_by_role("link", name="Reserve a pavilion").click()
    page.axe.check(page)
    page.get_by_label("Title (English)").fill("Reserve a pavilion or gazebo")
    page.get_by_role("button", name="Save new version").click()
    page.axe.check(page)
    assert "In review" in page.content()
    page.locator("header").get_by_role("button", name="Sign out").click()

    browser_sign_in_with_code(page, "boss@city.example", reviewer_secret)
    page.goto("/staff/catalog/")
    page.get_by_role("link", name="Reserve a pavilion · v1").click()
    page.axe.check(page)
    page.get_by_role("button", name="Publish").click()
    page.axe.check(page)
    assert "Published" in page.content()

    run_worker()  # the worker moves the shared index version; the web process notices
    page.goto("/search/?q=gazebo")
    page.axe.check(page)
    assert page.get_by_role("link", name="Reserve a pavilion or gazebo").count() == 1
