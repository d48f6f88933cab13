"""GET /open311/v2/requests.{json,xml}: the standard's filters, the de-facto extensions
(page/page_size, updated_after/updated_before, bbox, lat/long/radius, extensions=true),
validated against the standard's requests.json."""

import datetime as dt
from xml.etree import ElementTree

import pytest
from django.utils import timezone

from cityhall.cases import actions
from cityhall.cases.models import Case, Channel
from cityhall.open311.tests.schemas import errors_validator, validator

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


def ids(response):
    assert response.status_code == 200, response.content
    validator("requests.json").validate(response.json())
    return [r["service_request_id"] for r in response.json()]


@pytest.fixture
def far_case(case):
    """A second request by pin, about 1 km south-west of the first."""
    created, _ = actions.submit_case(
        actor=None,
        service_code="pothole",
        description="Another hole",
        channel=Channel.OPEN311,
        lat=39.325,
        lng=-76.645,
    )
    return created


def test_requests_validate_and_never_carry_contact_details(client, case):
    response = client.get(URL)
    body = response.json()
    validator("requests.json").validate(body)
    assert body[0]["service_request_id"] == case.reference
    assert isinstance(body[0]["service_request_id"], str)
    assert body[0]["status_notes"] == "We received your request.", "the latest public note"
    assert body[0]["requested_datetime"][-6] in "+-", "ISO 8601 with offset"
    assert body[0]["requested_datetime"] == timezone.localtime(case.created_at).isoformat(
        timespec="seconds"
    )
    assert body[0]["lat"] == 39.33 and body[0]["zipcode"] == "21211"
    assert "extended_attributes" not in body[0]
    assert "private@example.org" not in response.content.decode()


@pytest.mark.parametrize(
    ("params", "count"),
    [
        ({"service_code": "pothole"}, 1),
        ({"service_code": "other"}, 0),
        ({"status": "open"}, 1),
        ({"status": "closed"}, 0),
        ({"status": "open,closed"}, 1),
        ({"start_date": "2000-01-01T00:00:00Z", "end_date": "2000-02-01T00:00:00Z"}, 0),
        ({"jurisdiction_id": ""}, 1),
        ({"jurisdiction_id": "harbor.cityhall.example"}, 1),
    ],
)
def test_standard_filters(client, case, params, count):
    assert len(ids(client.get(URL, params))) == count


def test_paging_extension(client, case, far_case):
    first_page = ids(client.get(URL, {"page_size": 1}))
    second_page = ids(client.get(URL, {"page_size": 1, "page": 2}))
    assert first_page + second_page == [far_case.reference, case.reference]


def test_updated_after_and_before(client, case, far_case):
    long_ago = timezone.now() - dt.timedelta(days=400)
    Case.objects.filter(pk=case.pk).update(created_at=long_ago, updated_at=timezone.now())
    Case.objects.filter(pk=far_case.pk).update(updated_at=long_ago)
    yesterday = (timezone.now() - dt.timedelta(days=1)).isoformat()
    # Not limited to the default 90-day window of requested_datetime: a partner syncing
    # changes sees an old request that changed today.
    assert ids(client.get(URL, {"updated_after": yesterday})) == [case.reference]
    assert ids(client.get(URL, {"updated_before": yesterday})) == [far_case.reference]
    # With start_date/end_date, both apply.
    assert ids(client.get(URL, {"updated_after": yesterday, "start_date": yesterday})) == []


def test_bounding_box_is_min_long_min_lat_max_long_max_lat(client, case, far_case):
    assert ids(client.get(URL, {"bbox": "-76.64,39.328,-76.63,39.332"})) == [case.reference]
    assert ids(client.get(URL, {"bbox": "-76.65,39.32,-76.64,39.33"})) == [far_case.reference]
    assert len(ids(client.get(URL, {"bbox": "-77,39,-76,40"}))) == 2


def test_lat_long_radius_in_metres(client, case, far_case):
    near = {"lat": "39.33", "long": "-76.635"}
    assert ids(client.get(URL, near)) == [case.reference], "500 m by default"
    assert ids(client.get(URL, near | {"radius": "900"})) == [case.reference]
    assert ids(client.get(URL, near | {"radius": "1100"})) == [far_case.reference, case.reference]
    assert ids(client.get(URL, {"lat": "39.325", "long": "-76.645", "radius": "50"})) == [
        far_case.reference
    ]


def test_extensions_add_the_public_update_history(client, case):
    actions.route_case(case_id=case.pk)  # what the worker does: a public "sent to" update
    actions.add_requester_message(actor=None, case=case, text="My phone is 555", channel="sms")
    body = client.get(URL, {"extensions": "true"}).json()
    validator("requests.json").validate(body)
    extended = body[0]["extended_attributes"]
    assert extended["channel"] == "web"
    notes = extended["notes"]
    assert [n["description"] for n in notes] == [
        "We received your request.",
        "Sent to Transportation.",
    ], "public updates only, oldest first"
    assert notes[0]["status"] == "open" and notes[0]["status_detail"] == "received"
    assert notes[0]["type"] == "status" and notes[0]["datetime"][-6] in "+-"
    assert notes[1]["status"] is None
    assert "555" not in client.get(URL, {"extensions": "true"}).content.decode()
    assert body[0]["status_notes"] == "Sent to Transportation."
    assert "extended_attributes" not in client.get(URL, {"extensions": "false"}).json()[0]


def test_extensions_in_xml(client, case):
    root = ElementTree.fromstring(client.get("/open311/v2/requests.xml?extensions=true").content)
    note = root.find("request/extended_attributes/notes/note")
    assert note.find("description").text == "We received your request."
    assert note.find("status").text == "open"


def test_xml_uses_the_standards_element_names(client, case):
    response = client.get("/open311/v2/requests.xml")
    assert response["Content-Type"].startswith("text/xml")
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    request = root.find("request")
    assert [child.tag for child in request] == [
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    ]  # fmt: skip
    assert request.find("service_request_id").text == case.reference


@pytest.mark.parametrize(
    "params",
    [
        {"start_date": "yesterday"},
        {"end_date": "2026-13-01T00:00:00Z"},
        {"start_date": "2026-02-01T00:00:00Z", "end_date": "2026-01-01T00:00:00Z"},
        {"status": "maybe"},
        {"updated_after": "soon"},
        {"updated_before": "2026-01-01T25:00:00Z"},
        {"updated_after": "2026-02-01T00:00:00Z", "updated_before": "2026-01-01T00:00:00Z"},
        {"bbox": "1,2,3"},
        {"bbox": "a,b,c,d"},
        {"bbox": "-76.63,39.33,-76.64,39.34"},
        {"bbox": "-76,95,-75,96"},
        {"bbox": "nan,1,2,3"},
        {"lat": "39.33"},
        {"long": "-76.6"},
        {"radius": "100"},
        {"lat": "north", "long": "-76.6"},
        {"lat": "39.33", "long": "-76.6", "radius": "0"},
        {"lat": "39.33", "long": "-76.6", "radius": "far"},
        {"lat": "39.33", "long": "-76.6", "radius": "100000"},
        {"lat": "91", "long": "-76.6"},
        {"extensions": "yes please"},
        {"page": "0"},
        {"page_size": "5000"},
        {"page": "x"},
    ],
)
def test_malformed_values_are_400_with_the_standards_error_list(client, case, params):
    response = client.get(URL, params)
    assert response.status_code == 400, params
    errors_validator().validate(response.json())
    assert response.json()[0]["code"] == 400


def test_malformed_values_in_xml(client, case):
    response = client.get("/open311/v2/requests.xml", {"bbox": "1,2"})
    root = ElementTree.fromstring(response.content)
    assert response.status_code == 400
    assert root.tag == "errors" and root.find("error/code").text == "400"
    assert "bbox" in root.find("error/description").text


def test_unknown_jurisdiction_is_404(client, case):
    response = client.get(URL, {"jurisdiction_id": "elsewhere.gov"})
    assert response.status_code == 404
    errors_validator().validate(response.json())


def test_the_schema_check_can_fail():
    from jsonschema import ValidationError

    with pytest.raises(ValidationError):
        validator("requests.json").validate([{"service_request_id": 1, "status": "pending"}])
