"""GET /open311/v2/services.{json,xml}, validated against the standard's services.json."""

from xml.etree import ElementTree

import pytest

from cityhall.open311.tests.schemas import errors_validator, validator

pytestmark = pytest.mark.django_db


def test_services_validate(client, pothole_type):
    body = client.get("/open311/v2/services.json").json()
    validator("services.json").validate(body)
    assert body[0]["service_code"] == "pothole" and body[0]["metadata"] is True
    assert body[0]["group"] == "Streets & sidewalks"


def test_services_xml_element_names(client, pothole_type):
    root = ElementTree.fromstring(client.get("/open311/v2/services.xml").content)
    assert root.tag == "services"
    service = root.find("service")
    assert [child.tag for child in service] == [
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group",
    ]  # fmt: skip
    assert service.find("metadata").text == "true"


@pytest.mark.parametrize("jurisdiction", ["", "harbor.cityhall.example"])
def test_empty_or_our_jurisdiction_is_accepted(client, pothole_type, jurisdiction):
    response = client.get("/open311/v2/services.json", {"jurisdiction_id": jurisdiction})
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/open311/v2/services.json", {"jurisdiction_id": "elsewhere.gov"}, 404),
        ("/open311/v2/services.yaml", {}, 400),
    ],
)
def test_errors(client, pothole_type, path, params, status):
    response = client.get(path, params)
    assert response.status_code == status
    errors_validator().validate(response.json())
    assert response.json()[0]["code"] == status
