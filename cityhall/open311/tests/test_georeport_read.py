"""Our Open311 responses, validated against the standard's own JSON schemas."""

import json
from pathlib import Path
from xml.etree import ElementTree

import pytest
from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

from cityhall.cases import actions
from cityhall.cases.models import Channel
from cityhall.catalog.models import ServiceType
from cityhall.testing import make_address, make_department

pytestmark = pytest.mark.django_db

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "open311-georeport-v2"


def validator(name: str) -> Draft7Validator:
    resources = {
        p.name: Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT7)
        for p in SPECS.glob("*.json")
        if p.name != "swagger.json"
    }
    registry = Registry().with_resources(resources.items())
    return Draft7Validator(json.loads((SPECS / name).read_text()), registry=registry)


@pytest.fixture
def case():
    make_address("3600 Falls Rd")
    ServiceType.objects.create(
        code="pothole",
        name_en="Pothole",
        name_es="Bache",
        department=make_department("transportation", "Transportation"),
        sla_days=3,
        group_en="Streets & sidewalks",
        descriptors=[{"code": "deep", "name_en": "Deep", "name_es": "Profundo"}],
    )
    created, _ = actions.submit_case(
        actor=None,
        service_code="pothole",
        description="Deep hole",
        channel=Channel.WEB,
        address_text="3600 Falls Rd",
        contact_email="private@example.org",
    )
    return created


def test_services_validate(client, case):
    body = client.get("/open311/v2/services.json").json()
    validator("services.json").validate(body)
    assert body[0]["service_code"] == "pothole" and body[0]["metadata"] is True


def test_service_definition_validates(client, case):
    body = client.get("/open311/v2/services/pothole.json").json()
    validator("service-definition.json").validate(body)
    assert body["attributes"][0]["values"] == [{"key": "deep", "name": "Deep"}]


def test_requests_validate_and_never_carry_contact_details(client, case):
    response = client.get("/open311/v2/requests.json")
    body = response.json()
    validator("requests.json").validate(body)
    assert body[0]["service_request_id"] == case.reference
    assert isinstance(body[0]["service_request_id"], str)
    assert body[0]["status_notes"] == "We received your request.", "the latest public note"
    assert body[0]["requested_datetime"][-6] in "+-", "ISO 8601 with offset"
    assert "private@example.org" not in response.content.decode()
    one = client.get(f"/open311/v2/requests/{case.reference}.json").json()
    validator("requests.json").validate(one)


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"service_code": "pothole"}, 1),
        ({"service_code": "other"}, 0),
        ({"status": "open"}, 1),
        ({"status": "closed"}, 0),
        ({"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"}, 0),
        ({"jurisdiction_id": ""}, 1),
    ],
)
def test_request_filters(client, case, params, count):
    assert len(client.get("/open311/v2/requests.json", params).json()) == count


@pytest.mark.parametrize(
    ("path", "params", "status"),
    [
        ("/open311/v2/services/nope.json", {}, 404),
        ("/open311/v2/requests/nope.json", {}, 404),
        ("/open311/v2/requests.json", {"start_date": "yesterday"}, 400),
        ("/open311/v2/requests.json", {"status": "maybe"}, 400),
        ("/open311/v2/services.json", {"jurisdiction_id": "elsewhere.gov"}, 404),
        ("/open311/v2/services.yaml", {}, 400),
    ],
)
def test_errors_are_lists_of_code_and_description(client, case, path, params, status):
    response = client.get(path, params)
    assert response.status_code == status
    body = response.json()
    assert body == [{"code": status, "description": body[0]["description"]}]


def test_xml_uses_the_standards_element_names(client, case):
    response = client.get("/open311/v2/requests.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == case.reference
    services = ElementTree.fromstring(client.get("/open311/v2/services.xml").content)
    assert services.tag == "services" and services.find("service/service_code").text == "pothole"
    errors = ElementTree.fromstring(client.get("/open311/v2/services/nope.xml").content)
    assert errors.tag == "errors" and errors.find("error/code").text == "404"


def test_discovery(client):
    body = client.get("/open311/v2/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"


def test_the_schema_check_can_fail():
    from jsonschema import ValidationError

    with pytest.raises(ValidationError):
        validator("requests.json").validate([{"service_request_id": 1, "status": "pending"}])


def test_paging_extension(client, case):
    second, _ = actions.submit_case(
        actor=None,
        service_code="pothole",
        description="Another",
        channel=Channel.WEB,
        address_text="3600 Falls Rd",
    )
    first_page = client.get("/open311/v2/requests.json", {"page_size": 1}).json()
    second_page = client.get("/open311/v2/requests.json", {"page_size": 1, "page": 2}).json()
    assert [r["service_request_id"] for r in first_page + second_page] == [
        second.reference,
        case.reference,
    ]
    for bad in ({"page": "0"}, {"page_size": "5000"}, {"page": "x"}):
        assert client.get("/open311/v2/requests.json", bad).status_code == 400
