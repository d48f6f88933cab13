"""GET /api/v1/me/suggestions: who may call it and what they see."""

import pytest

from cityhall.accounts.models import Profile
from cityhall.org.models import Role
from cityhall.personalization import actions
from cityhall.personalization.tests.factories import make_moving_catalog
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db
URL = "/api/v1/me/suggestions"


@pytest.fixture
def ana():
    make_moving_catalog()
    user = make_resident()
    actions.declare_life_event(
        actor=user, profile=Profile.objects.get(account=user), life_event_slug="moving-to-the-city"
    )
    return user


@pytest.mark.parametrize(
    ("who", "status", "sees_journey"),
    [("anonymous", 401, False), ("owner", 200, True), ("other", 200, False), ("staff", 200, False)],
)
def test_authorization_matrix(client, ana, who, status, sees_journey):
    users = {"owner": ana, "other": make_resident(), "staff": make_staff(Role.CASEWORKER)}
    if who in users:
        client.force_login(users[who])
    response = client.get(URL)
    assert response.status_code == status
    if status == 200:
        codes = [s["reason_code"] for s in response.json()["suggestions"]]
        assert ("journey_step" in codes) is sees_journey
    else:
        assert response.json() == {"detail": "Sign in to use this endpoint."}


def test_shape_and_limit(client, ana):
    client.force_login(ana)
    body = client.get(URL, {"limit": 2}).json()
    assert body["personalised"] is False
    assert len(body["suggestions"]) == 2
    first = body["suggestions"][0]
    assert set(first) == {"key", "kind", "title", "url", "reason", "reason_code", "personal"}
    assert first["url"] == "/services/start-stop-water-service/"


@pytest.mark.parametrize("limit", ["0", "21", "many"])
def test_bad_limit_is_a_field_error(client, ana, limit):
    client.force_login(ana)
    response = client.get(URL, {"limit": limit})
    assert response.status_code == 422
    assert "limit" in response.json()["errors"]


def test_spanish_reasons(client, ana):
    client.force_login(ana)
    client.cookies["django_language"] = "es"
    body = client.get(URL).json()
    assert "Mudarse a la ciudad" in body["suggestions"][0]["reason"]
