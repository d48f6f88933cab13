"""A resident reports with a photo and a map pin, follows the case to closed and rates it."""

import pytest

from cityhall.cases import actions
from cityhall.cases.models import Case, CaseStatus
from cityhall.cases.tests.test_photos_and_report_form import jpeg_with_gps
from cityhall.org.models import Role
from cityhall.testing import (
    browser_sign_in,
    make_request_type,
    make_resident,
    make_service,
    make_staff,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def pothole_service():
    request_type = make_request_type()
    make_service(
        "pothole",
        "Report a pothole",
        request_type=request_type,
        channels=[{"kind": "request", "label_en": "Report it", "request_type": "pothole"}],
    )
    return request_type


def test_report_a_pothole_from_its_service_page(page, run_worker, pothole_service):
    page.goto("/services/pothole/")
    page.axe.check(page)
    page.get_by_role("link", name="Report it").click()
    page.axe.check(page)
    page.get_by_label("What's the problem?").fill("Deep hole in the bike lane")
    page.get_by_label("Where is it?").fill("3600 Falls Rd")
    page.get_by_role("button", name="Send report").click()
    page.axe.check(page)
    assert "Your request number is" in page.content()
    run_worker()
    page.reload()
    page.axe.check(page)
    assert "Sent to Transportation." in page.content()


def test_photo_and_pin_then_follow_to_closed_and_rate(page, run_worker, pothole_service, tmp_path):
    resident = make_resident("ana@example.org")
    crew = make_staff(Role.CASEWORKER, pothole_service.department)
    browser_sign_in(page, resident.email)
    page.goto("/report/pothole/")
    page.axe.check(page)
    page.get_by_label("What's the problem?").fill("Hole by the bus stop")
    page.locator("svg.city-map path").first.click()  # drop a pin instead of typing an address
    assert "Pin dropped" in page.locator("[data-pin-status]").inner_text()
    assert page.locator("#id_lat").input_value() != ""
    photo = tmp_path / "hole.jpg"
    photo.write_bytes(jpeg_with_gps(gps=False))
    page.get_by_label("Photos (optional)").set_input_files(str(photo))
    page.get_by_role("button", name="Send report").click()
    page.axe.check(page)
    assert "Your request number is" in page.content()
    assert page.get_by_role("img", name="Photo 1 sent with the request").is_visible()
    assert page.get_by_role("button", name="Stop following").is_visible()

    run_worker()
    case = Case.objects.get()
    assert case.address is None and case.neighbourhood.name == "Hampden"
    actions.update_status(
        actor=crew, case=case, status=CaseStatus.CLOSED, public_note="Filled and rolled."
    )
    page.goto("/account/cases/")
    page.axe.check(page)
    page.get_by_role("link", name=case.reference).click()
    page.wait_for_url(f"**/cases/{case.reference}/")
    assert "Filled and rolled." in page.content()
    page.get_by_label("Very happy").check()
    page.get_by_role("button", name="Send rating").click()
    page.axe.check(page)
    assert "Thank you for telling us." in page.content()
    case.refresh_from_db()
    assert case.satisfaction == 5
