"""A supervisor finds the overdue dumping hot spot on the map and opens its cases; the
dashboard and the public scorecard pass axe-core."""

import pytest

from cityhall.insights import actions
from cityhall.org.models import Role
from cityhall.testing import browser_sign_in_with_code, give_totp, make_staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_supervisor_opens_the_cases_of_an_overdue_hot_spot(page, cases, city):
    supervisor = make_staff(Role.SUPERVISOR, city["parks"], email="parks.boss@city.example",
                            with_mfa=False)  # fmt: skip
    secret = give_totp(supervisor)
    actions.rebuild_rollups()
    overdue = [cases[3], cases[4]]

    browser_sign_in_with_code(page, supervisor.email, secret)
    page.goto("/staff/insights/")
    page.axe.check(page)
    assert "Requests by type (top 15)" in page.content()
    page.get_by_role("link", name="Maps and hot spots").click()
    page.axe.check(page)
    page.get_by_label("Type").select_option(label="Illegal dumping")
    page.get_by_label("Cases to show").select_option(label="Open and overdue now")
    page.get_by_role("button", name="Show").click()
    page.axe.check(page)
    hot_spot = page.locator("svg.insights-map a[aria-label='Hot spot with 2 cases']")
    assert hot_spot.count() == 1
    hot_spot.click()
    page.wait_for_url("**/staff/cases/**")
    page.axe.check(page)
    rows = page.locator("table.queue-table tbody tr")
    assert rows.count() == 2
    text = rows.all_inner_texts()
    for case in overdue:
        assert any(case.reference in row and "Overdue" in row for row in text)
    page.get_by_role("link", name=overdue[0].reference).click()
    page.axe.check(page)
    assert overdue[0].reference in page.locator("h1").inner_text()


def test_scorecard_and_open_data_pages_pass_axe(page, cases):
    actions.rebuild_rollups()
    page.goto("/scorecard/")
    page.axe.check(page)
    assert page.get_by_role("heading", name="Parks").count() == 1
    page.get_by_role("link", name="Open data").first.click()
    page.axe.check(page)
    assert "Data dictionary" in page.content()


def test_equity_view_passes_axe(page, cases):
    admin = make_staff(Role.CITY_ADMIN, email="mayor.office@city.example", with_mfa=False)
    secret = give_totp(admin)
    actions.rebuild_rollups()
    browser_sign_in_with_code(page, admin.email, secret)
    page.goto("/staff/insights/equity/")
    page.axe.check(page)
    assert page.locator("table tbody tr").first.inner_text().startswith("Whole city")
