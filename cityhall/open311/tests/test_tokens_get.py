"""GET /open311/v2/tokens/{token}.{json,xml}: the request id behind a POST's token."""

from xml.etree import ElementTree

import pytest

from cityhall.open311.tests.schemas import errors_validator, swagger_list_validator
from cityhall.open311.tokens import token_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def posted(client, api_key):
    response = client.post(
        "/open311/v2/requests.json",
        {
            "api_key": api_key,
            "service_code": "pothole",
            "address_string": "3600 Falls Rd",
            "description": "Deep hole",
        },
    )
    return response.json()[0]


def test_token_resolves_to_the_request_id(client, posted):
    response = client.get(f"/open311/v2/tokens/{posted['token']}.json")
    assert response.status_code == 200
    swagger_list_validator("TokenResponse").validate(response.json())
    assert response.json() == [
        {"service_request_id": posted["service_request_id"], "token": posted["token"]}
    ]


def test_token_xml(client, posted):
    root = ElementTree.fromstring(client.get(f"/open311/v2/tokens/{posted['token']}.xml").content)
    assert root.tag == "service_requests"
    assert root.find("request/service_request_id").text == posted["service_request_id"]
    assert root.find("request/token").text == posted["token"]


def test_the_same_request_always_has_the_same_token(case):
    assert token_for(case.pk) == token_for(case.pk)
    assert token_for(case.pk) != token_for(case.pk + 1)


@pytest.mark.parametrize(
    "token",
    [
        "nope",
        "1-00000000000000000000",  # our shape, wrong signature
        "999999-{mac}",  # a valid signature for a case that does not exist
        "{pk}-{mac}x",
    ],
)
def test_unknown_tokens_are_404(client, posted, token):
    from cityhall.cases.models import Case

    pk = Case.objects.get().pk
    token = token.format(pk=pk, mac=token_for(999999 if "999999" in token else pk).split("-")[1])
    response = client.get(f"/open311/v2/tokens/{token}.json")
    assert response.status_code == 404
    errors_validator().validate(response.json())
    assert response.json()[0]["code"] == 404


def test_unknown_token_xml(client, posted):
    root = ElementTree.fromstring(client.get("/open311/v2/tokens/nope.xml").content)
    assert root.tag == "errors" and root.find("error/code").text == "404"
