"""/api/v1/cases: apps report problems, read a request's public timeline, follow it, and list
the resident's own requests; the authorization matrix and bad input."""

import json

import pytest
from django.test import Client

from cityhall.cases.models import Case

pytestmark = pytest.mark.django_db(transaction=True)

BODY = {"service_code": "pothole", "description": "Deep hole", "address": "3600 Falls Rd"}


def post(client, body=None, **headers):
    return client.post(
        "/api/v1/cases", json.dumps(body or BODY), content_type="application/json", **headers
    )


def test_an_app_reports_and_retries_safely(client, pothole_type):
    first = post(client, HTTP_IDEMPOTENCY_KEY="app-1")
    assert first.status_code == 201
    data = first.json()
    assert data["status"] == "received" and data["channel"] == "api"
    assert data["timeline"][0]["message"] == "We received your request."
    again = post(client, HTTP_IDEMPOTENCY_KEY="app-1")
    assert again.status_code == 200 and again.json()["reference"] == data["reference"]
    assert Case.objects.count() == 1
    public = client.get(f"/api/v1/cases/{data['reference']}").json()
    assert public["service_code"] == "pothole" and "contact_email" not in public


@pytest.mark.parametrize(
    ("body", "status", "field"),
    [
        ({**BODY, "service_code": "unicorn"}, 422, "service_code"),
        ({**BODY, "address": "", "lat": 40.7, "lng": -74.0}, 422, "address"),
        ({**BODY, "description": "x" * 4001}, 422, "description"),
        ({**BODY, "description": ""}, 422, "description"),
        ({"description": "no type"}, 422, "service_code"),
        ({**BODY, "answers": {"colour": "red"}}, 422, "answers"),
    ],
)
def test_bad_input_is_json_with_field_errors(client, pothole_type, body, status, field):
    response = post(client, body)
    assert response.status_code == status
    assert field in response.json()["errors"]
    assert not Case.objects.exists()


def test_malformed_json_is_4xx_json(client, pothole_type):
    response = client.post("/api/v1/cases", "{nope", content_type="application/json")
    assert 400 <= response.status_code < 500 and "detail" in response.json()


def test_unknown_reference_is_404_json(client):
    response = client.get("/api/v1/cases/2026-999999")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_signed_in_session_writes_need_csrf(people, pothole_type):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(people["resident"])
    assert post(browser).status_code == 403
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 401), ("resident", 200), ("other_resident", 200), ("caseworker", 200)],
)
def test_my_cases_matrix(client, people, make_case, who, status):
    mine = make_case(actor=people["resident"])
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get("/api/v1/cases/mine")
    assert response.status_code == status
    if status == 200:
        references = [c["reference"] for c in response.json()]
        assert (mine.reference in references) == (who == "resident")


def test_follow_and_unfollow(client, people, make_case):
    case = make_case()
    url = f"/api/v1/cases/{case.reference}/follow"
    assert client.post(url).status_code == 401
    client.force_login(people["other_resident"])
    assert client.post(url).status_code == 200
    assert case.reference in [c["reference"] for c in client.get("/api/v1/cases/mine").json()]
    assert client.delete(url).status_code == 204
    assert client.get("/api/v1/cases/mine").json() == []
    assert client.post("/api/v1/cases/2026-999999/follow").status_code == 404
