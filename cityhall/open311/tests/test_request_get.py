"""GET /open311/v2/requests/{id}.{json,xml}: one request, as a list of one."""

from xml.etree import ElementTree

import pytest

from cityhall.open311.tests.schemas import errors_validator, validator

pytestmark = pytest.mark.django_db


def test_one_request_validates(client, case):
    body = client.get(f"/open311/v2/requests/{case.reference}.json").json()
    validator("requests.json").validate(body)
    assert len(body) == 1 and body[0]["service_request_id"] == case.reference
    assert "extended_attributes" not in body[0]


def test_one_request_with_extensions(client, case):
    body = client.get(f"/open311/v2/requests/{case.reference}.json?extensions=true").json()
    validator("requests.json").validate(body)
    assert body[0]["extended_attributes"]["notes"][0]["status_detail"] == "received"


def test_one_request_xml(client, case):
    root = ElementTree.fromstring(client.get(f"/open311/v2/requests/{case.reference}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == case.reference


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/open311/v2/requests/nope.json", 404),
        ("/open311/v2/requests/nope.json?jurisdiction_id=elsewhere.gov", 404),
        ("/open311/v2/requests/nope.json?extensions=maybe", 400),
    ],
)
def test_errors(client, case, path, status):
    response = client.get(path)
    assert response.status_code == status
    errors_validator().validate(response.json())


@pytest.mark.parametrize(
    ("channel", "published"), [("web", True), ("sms", False), ("email", False), ("phone", False)]
)
def test_text_from_conversations_is_not_published(client, pothole_type, channel, published):
    from cityhall.cases.actions import submit_case

    case, _ = submit_case(
        actor=None, service_code="pothole", description="Outside Ana's flat 4",
        channel=channel, address_text="3600 Falls Rd",
    )  # fmt: skip
    body = client.get(f"/open311/v2/requests/{case.reference}.json").json()
    validator("requests.json").validate(body)
    assert (body[0]["description"] == "Outside Ana's flat 4") == published
