"""Filing a case: validation, idempotency, routing in the worker, the public timeline."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityhall.cases import actions, queries
from cityhall.cases.models import Case, CaseEvent, Channel
from cityhall.testing import make_request_type, make_resident

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pothole_type():
    return make_request_type()


def submit(**overrides):
    fields = {
        "actor": None,
        "service_code": "pothole",
        "description": "Deep hole in the bike lane",
        "channel": Channel.WEB,
        "address_text": "3600 Falls Rd",
    } | overrides
    return actions.submit_case(**fields)


def test_case_is_received_then_routed_by_the_worker(pothole_type, run_worker):
    case, created = submit()
    assert created and case.reference.endswith(f"{case.pk:06d}")
    assert case.neighbourhood.name == "Hampden" and case.department is None
    run_worker()  # routing happens in the background, even if the worker was down at submit
    case.refresh_from_db()
    assert case.department.code == "transportation" and case.due_at is not None
    messages = [e.message for e in queries.public_timeline(case)]
    assert messages == ["We received your request.", "Sent to Transportation."]
    run_worker()
    assert CaseEvent.objects.filter(case=case).count() == 2, "routing twice does nothing"


def test_retry_with_the_same_key_returns_the_same_case(pothole_type):
    first, _ = submit(idempotency_key="abc")
    again, created = submit(idempotency_key="abc")
    assert again.pk == first.pk and not created
    assert Case.objects.count() == 1


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"service_code": "unicorn"}, "service_code"),
        ({"description": "   "}, "description"),
        ({"description": "x" * 4001}, "description"),
        ({"address_text": "", "lat": None, "lng": None}, "address"),
        ({"address_text": "1 Nowhere Lane"}, "address"),
        ({"address_text": "", "lat": 40.7, "lng": -74.0}, "address"),
        ({"address_text": "", "lat": 999.0, "lng": 0.0}, "address"),
        ({"contact_email": "not-an-email"}, "contact_email"),
    ],
)
def test_bad_input_gets_field_errors_and_files_nothing(pothole_type, overrides, field):
    with pytest.raises(ValidationError) as error:
        submit(**overrides)
    assert field in error.value.message_dict
    assert not Case.objects.exists()


def test_a_pin_inside_the_city_is_enough(pothole_type):
    case, _ = submit(address_text="", lat=39.33, lng=-76.63)
    assert case.neighbourhood.name == "Hampden" and case.address is None


def test_web_form_and_public_page_never_show_who_reported(client, pothole_type):
    resident = make_resident("reporter@example.org")
    client.force_login(resident)
    response = client.post(
        reverse("cases:report", args=["pothole"]),
        {"description": "<script>alert(1)</script> hole", "address": "3600 Falls Rd",
         "idempotency_key": "k1"},
    )  # fmt: skip
    case = Case.objects.get()
    assert response["Location"] == reverse("cases:detail", args=[case.reference])
    client.logout()
    page = client.get(response["Location"]).content.decode()
    assert "Pothole" in page and "We received your request." in page
    assert "reporter@example.org" not in page and "<script>alert(1)" not in page


def test_my_requests_lists_only_mine(client, pothole_type):
    me, other = make_resident(), make_resident()
    mine, _ = submit(actor=me)
    theirs, _ = submit(actor=other, idempotency_key="other")
    client.force_login(me)
    page = client.get(reverse("cases:mine")).content.decode()
    assert mine.reference in page and theirs.reference not in page


def test_report_form_shows_field_errors(client, pothole_type):
    response = client.post(reverse("cases:report", args=["pothole"]), {"description": ""})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    assert client.get(reverse("cases:report", args=["nope"])).status_code == 404


def test_retry_keys_belong_to_their_caller(pothole_type):
    first, _ = submit(idempotency_key="1", idempotency_scope="app-a")
    other, created = submit(idempotency_key="1", idempotency_scope="app-b")
    assert created and other.pk != first.pk


def test_long_emails_and_control_characters(pothole_type):
    with pytest.raises(ValidationError) as error:
        submit(contact_email=("a" * 250) + "@example.org")
    assert "contact_email" in error.value.message_dict
    case, _ = submit(contact_name="Ana\x00 Diaz", description="Hole\x00 here")
    assert "\x00" not in case.contact_name and "\x00" not in case.description
