"""Residents search with typos and in Spanish, and browse a life event, in a real browser."""

import pytest

from cityhall.catalog.models import LifeEvent, LifeEventStep
from cityhall.testing import fresh_search_index, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalog():
    pothole = make_service(
        "report-pothole", "Report a pothole", "Reportar un bache", keywords_en=["road damage"]
    )
    birth = make_service(
        "birth-certificate", "Get a birth certificate", "Obtener un acta de nacimiento"
    )
    event = LifeEvent.objects.create(
        slug="having-a-baby",
        title_en="We had a baby",
        title_es="Tuvimos un bebé",
        summary_en="What to do in the first weeks.",
        summary_es="Qué hacer en las primeras semanas.",
    )
    LifeEventStep.objects.create(
        life_event=event, position=1, service=birth, note_en="Order it first."
    )
    fresh_search_index()
    return pothole


def test_search_with_a_typo_then_in_spanish(page, catalog):
    page.goto("/search/")
    page.axe.check(page)
    page.get_by_label("Search city services").fill("pothle")
    page.get_by_role("button", name="Search").last.click()
    page.axe.check(page)
    assert page.get_by_text("Did you mean").count() == 1
    page.get_by_role("link", name="Report a pothole").click()
    page.axe.check(page)
    assert page.get_by_role("heading", level=1).inner_text() == "Report a pothole"

    page.get_by_role("button", name="Español").click()
    page.goto("/search/?q=bache")
    page.axe.check(page)
    assert page.get_by_role("link", name="Reportar un bache").count() == 1


def test_instant_results_appear_as_you_type(page, catalog):
    page.goto("/search/")
    page.get_by_label("Search city services").press_sequentially("potho", delay=40)
    page.locator("#suggest-main a", has_text="Report a pothole").wait_for()
    page.axe.check(page)


def test_browse_a_life_event(page, catalog):
    page.goto("/services/")
    page.axe.check(page)
    page.get_by_role("link", name="We had a baby").click()
    page.axe.check(page)
    steps = page.locator("ol.path li")
    assert steps.count() == 1
    assert "Get a birth certificate" in steps.first.inner_text()
