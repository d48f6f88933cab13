"""POST /open311/v2/requests: keys, errors as the standard says, idempotent retries."""

import pytest

from cityhall.cases.models import Case, Channel
from cityhall.catalog.models import ServiceType
from cityhall.open311.actions import create_api_key
from cityhall.testing import make_address, make_department, make_resident

pytestmark = pytest.mark.django_db

URL = "/open311/v2/requests.json"


@pytest.fixture
def key():
    make_address("3600 Falls Rd")
    ServiceType.objects.create(
        code="pothole", name_en="Pothole", name_es="Bache", department=make_department()
    )
    return create_api_key(actor=None, name="Partner app")[1]


def form(key, **extra):
    return {
        "api_key": key,
        "service_code": "pothole",
        "address_string": "3600 Falls Rd",
        "description": "Deep hole",
    } | extra


def test_creates_a_case_readable_through_get(client, key):
    response = client.post(URL, form(key))
    assert response.status_code == 201
    request_id = response.json()[0]["service_request_id"]
    case = Case.objects.get(reference=request_id)
    assert case.channel == Channel.OPEN311
    assert client.get(f"/open311/v2/requests/{request_id}.json").json()[0]["description"] == (
        "Deep hole"
    )


def test_key_in_query_string_works_too(client, key):
    data = form(key)
    data.pop("api_key")
    assert client.post(f"{URL}?api_key={key}", data).status_code == 201


@pytest.mark.parametrize(
    ("extra", "status"),
    [
        ({"api_key": "wrong"}, 403),
        ({"api_key": ""}, 403),
        ({"service_code": "unicorn"}, 404),
        ({"address_string": "", "lat": "", "long": ""}, 400),
        ({"address_string": "", "lat": "40.7", "long": "-74.0"}, 400),
        ({"address_string": "", "lat": "north", "long": "west"}, 400),
        ({"description": "x" * 4001}, 400),
    ],
)
def test_errors(client, key, extra, status):
    response = client.post(URL, form(key, **extra))
    assert response.status_code == status
    assert response.json()[0]["code"] == status and response.json()[0]["description"]
    assert not Case.objects.exists()


def test_retry_with_idempotency_key_returns_the_same_request(client, key):
    first = client.post(URL, form(key), headers={"Idempotency-Key": "partner-123"})
    again = client.post(URL, form(key), headers={"Idempotency-Key": "partner-123"})
    assert first.json() == again.json()
    assert Case.objects.count() == 1


def test_contact_with_a_verified_email_is_matched_to_the_account(client, key):
    resident = make_resident("known@example.org")
    client.post(URL, form(key, email="KNOWN@example.org"))
    case = Case.objects.get()
    assert case.requester == resident
    assert case.follows.filter(user=resident).exists()


def test_cli_prints_the_key_last(capsys):
    from django.core.management import call_command

    from cityhall.open311.actions import key_is_valid

    call_command("open311-key", "create", "CLI partner")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    assert key_is_valid(last_line)
