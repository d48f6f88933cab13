"""A resident finds a service, reports the problem and sees its timeline."""

import pytest

from cityhall.catalog.models import ServiceType
from cityhall.testing import make_address, make_department, make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_a_pothole_from_its_service_page(page, run_worker):
    make_address("3600 Falls Rd")
    request_type = ServiceType.objects.create(
        code="pothole",
        name_en="Pothole",
        name_es="Bache",
        department=make_department("transportation", "Transportation"),
        sla_days=3,
    )
    make_service(
        "pothole",
        "Report a pothole",
        request_type=request_type,
        channels=[{"kind": "request", "label_en": "Report it", "request_type": "pothole"}],
    )
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
