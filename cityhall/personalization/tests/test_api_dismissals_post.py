"""POST /api/v1/me/suggestions/dismissals: idempotent, validated, one's own profile only."""

import json

import pytest
from django.test import Client

from cityhall.org.models import Role
from cityhall.personalization.models import Dismissal
from cityhall.personalization.tests.factories import make_moving_catalog
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/suggestions/dismissals"


def _post(client, body):
    return client.post(URL, data=json.dumps(body), content_type="application/json")


@pytest.mark.parametrize(("who", "status"), [("anonymous", 401), ("resident", 200), ("staff", 200)])
def test_authorization_matrix(client, who, status):
    make_moving_catalog()
    users = {"resident": make_resident(), "staff": make_staff(Role.CASEWORKER)}
    if who in users:
        client.force_login(users[who])
    response = _post(client, {"key": "service:pothole-report"})
    assert response.status_code == status
    if who in users:
        assert list(Dismissal.objects.values_list("profile__account", "key")) == [
            (users[who].pk, "service:pothole-report")
        ]
    else:
        assert not Dismissal.objects.exists()


def test_other_residents_dismissals_are_their_own(client):
    make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    client.force_login(ana)
    _post(client, {"key": "service:pothole-report"})
    client.force_login(ben)
    keys = [s["key"] for s in client.get("/api/v1/me/suggestions").json()["suggestions"]]
    assert "service:pothole-report" in keys


def test_retry_does_not_duplicate(client):
    make_moving_catalog()
    client.force_login(make_resident())
    first = _post(client, {"key": "journey:moving-to-the-city"}).json()
    again = _post(client, {"key": "journey:moving-to-the-city"}).json()
    assert first == {"key": "journey:moving-to-the-city", "dismissed": True, "created": True}
    assert again["created"] is False and Dismissal.objects.count() == 1


@pytest.mark.parametrize("body", [{}, {"key": ""}, {"key": "service:nope"}, {"key": "a" * 141}])
def test_invalid_keys_are_422_with_field_errors(client, body):
    make_moving_catalog()
    client.force_login(make_resident())
    response = _post(client, body)
    assert response.status_code == 422
    assert "key" in response.json()["errors"]
    assert not Dismissal.objects.exists()


def test_csrf_is_required_for_browser_sessions():
    make_moving_catalog()
    client = Client(enforce_csrf_checks=True)
    client.force_login(make_resident())
    assert _post(client, {"key": "service:pothole-report"}).status_code == 403
    assert not Dismissal.objects.exists()
