"""POST /open311/v2/requests: keys, the standard's answer and errors, idempotent retries."""

from xml.etree import ElementTree

import pytest

from cityhall.cases.models import Case, Channel
from cityhall.open311.actions import create_api_key
from cityhall.open311.models import ApiKey
from cityhall.open311.tests.schemas import errors_validator, swagger_list_validator, validator
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


def form(key, **extra):
    return {
        "api_key": key,
        "service_code": "pothole",
        "address_string": "3600 Falls Rd",
        "description": "Deep hole",
    } | extra


def test_creates_a_case_readable_through_get(client, api_key):
    response = client.post(URL, form(api_key))
    assert response.status_code == 201
    swagger_list_validator("RequestResponse").validate(response.json())
    answer = response.json()[0]
    assert set(answer) == {"service_request_id", "token", "service_notice"}
    case = Case.objects.get(reference=answer["service_request_id"])
    assert case.channel == Channel.OPEN311
    one = client.get(f"/open311/v2/requests/{answer['service_request_id']}.json").json()
    validator("requests.json").validate(one)
    assert one[0]["description"] == "Deep hole"
    token = client.get(f"/open311/v2/tokens/{answer['token']}.json").json()
    assert token[0]["service_request_id"] == answer["service_request_id"]


def test_xml_answer_uses_the_standards_element_names(client, api_key):
    response = client.post("/open311/v2/requests.xml", form(api_key))
    assert response.status_code == 201
    root = ElementTree.fromstring(response.content)
    assert root.tag == "service_requests"
    assert [child.tag for child in root.find("request")] == [
        "service_request_id", "token", "service_notice",
    ]  # fmt: skip


def test_key_in_query_string_works_too(client, api_key):
    data = form(api_key)
    data.pop("api_key")
    assert client.post(f"{URL}?api_key={api_key}", data).status_code == 201


@pytest.mark.parametrize(
    "who",
    ["no key", "empty key", "wrong key", "revoked key", "key of another shape", "valid key"],
)
def test_authorization(client, api_key, who):
    revoked = create_api_key(actor=None, name="Old partner")[1]
    ApiKey.objects.filter(name="Old partner").update(is_active=False)
    keys = {
        "no key": None,
        "empty key": "",
        "wrong key": "wrong",
        "revoked key": revoked,
        "key of another shape": api_key[:-1],
        "valid key": api_key,
    }
    data = form(keys[who])
    if keys[who] is None:
        data.pop("api_key")
    response = client.post(URL, data)
    if who == "valid key":
        assert response.status_code == 201
        assert Case.objects.count() == 1
    else:
        assert response.status_code == 403
        errors_validator().validate(response.json())
        assert response.json()[0]["code"] == 403
        assert not Case.objects.exists(), "nothing filed"


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"service_code": "unicorn"}, 404),
        ({"jurisdiction_id": "elsewhere.gov"}, 404),
        ({"address_string": "", "lat": "", "long": ""}, 400),
        ({"address_string": "", "lat": "40.7", "long": "-74.0"}, 400),
        ({"address_string": "", "lat": "north", "long": "west"}, 400),
        ({"description": "x" * 4001}, 400),
    ],
)
def test_errors(client, api_key, extra, status):
    response = client.post(URL, form(api_key, **extra))
    assert response.status_code == status
    errors_validator().validate(response.json())
    assert response.json()[0]["code"] == status and response.json()[0]["description"]
    assert not Case.objects.exists()


def test_empty_jurisdiction_is_the_same_as_none(client, api_key):
    assert client.post(URL, form(api_key, jurisdiction_id="")).status_code == 201


def test_retry_with_idempotency_key_returns_the_same_request(client, api_key):
    first = client.post(URL, form(api_key), headers={"Idempotency-Key": "partner-123"})
    again = client.post(URL, form(api_key), headers={"Idempotency-Key": "partner-123"})
    assert first.json() == again.json()
    assert Case.objects.count() == 1


def test_contact_with_a_verified_email_is_matched_to_the_account(client, api_key):
    resident = make_resident("known@example.org")
    client.post(URL, form(api_key, email="KNOWN@example.org"))
    case = Case.objects.get()
    assert case.requester == resident
    assert case.follows.filter(user=resident).exists()


def test_cli_prints_the_key_last(capsys):
    from django.core.management import call_command

    from cityhall.open311.actions import key_is_valid

    call_command("open311-key", "create", "CLI partner")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert key_is_valid(last_line)


def test_attributes_names_phone_and_media_are_kept(client, api_key, pothole_type):
    pothole_type.descriptors = [
        {"code": "bike-lane", "name_en": "In a bike lane", "name_es": "En ciclovía"}
    ]
    pothole_type.save()
    response = client.post(
        URL,
        form(
            api_key,
            **{"attribute[descriptor]": "bike-lane"},
            first_name="Ana",
            last_name="Diaz",
            phone="410-555-0123",
            media_url="https://example.org/hole.jpg",
        ),
    )
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.answers == {"descriptor": "bike-lane"}
    assert (case.contact_name, case.contact_phone) == ("Ana Diaz", "+14105550123")
    assert case.media_url == "https://example.org/hole.jpg"


@pytest.mark.parametrize(
    "extra",
    [
        {"attribute[descriptor]": "unicorn"},
        {"attribute[colour]": "red"},
        {"media_url": "javascript:alert(1)"},
    ],
)
def test_bad_attributes_are_400_with_a_message(client, api_key, pothole_type, extra):
    pothole_type.descriptors = [{"code": "bike-lane", "name_en": "In a bike lane", "name_es": ""}]
    pothole_type.save()
    response = client.post(URL, form(api_key, **extra))
    assert response.status_code == 400
    errors_validator().validate(response.json())
    assert not Case.objects.exists()
