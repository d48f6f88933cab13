"""/api/v1/me/profiles: authorization matrix, validation and idempotency."""

import json

import pytest

from cityhall.accounts import actions
from cityhall.accounts.models import Profile
from cityhall.org.models import Role
from cityhall.testing import make_department, make_resident, make_staff

pytestmark = pytest.mark.django_db

URL = "/api/v1/me/profiles"


def post(client, data, **headers):
    return client.post(URL, json.dumps(data), content_type="application/json", headers=headers)


def test_anonymous_gets_json_401(client):
    response = post(client, {"name": "X"})
    assert response.status_code == 401
    assert response.json()["detail"]
    assert client.get("/api/v1/me").status_code == 401


def test_resident_creates_and_retry_does_not_duplicate(client):
    user = make_resident()
    client.force_login(user)
    first = post(client, {"name": "Mia", "personas": ["student"]}, **{"Idempotency-Key": "r1"})
    again = post(client, {"name": "Mia", "personas": ["student"]}, **{"Idempotency-Key": "r1"})
    assert first.status_code == 201
    assert again.status_code == 200
    assert first.json()["id"] == again.json()["id"]
    assert first.json()["personas"] == ["student"]
    assert Profile.objects.filter(account=user).count() == 2


def test_field_errors_are_json_422(client):
    client.force_login(make_resident())
    response = post(client, {"name": "", "personas": ["wizard"], "digest": "hourly"})
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"name", "digest"} <= set(errors) or "personas" in str(errors)


def test_seventh_profile_is_json_422(client):
    user = make_resident()
    for i in range(5):
        actions.create_profile(actor=user, name=f"P{i}")
    client.force_login(user)
    response = post(client, {"name": "Too many"})
    assert response.status_code == 422
    assert "up to 6 profiles" in response.json()["errors"]["__all__"][0]


def test_malformed_json_is_4xx(client):
    client.force_login(make_resident())
    response = client.post(URL, "{not json", content_type="application/json")
    assert 400 <= response.status_code < 500


@pytest.mark.parametrize(
    "who",
    ["anonymous", "owner", "other_resident", "staff_other_department", "city_admin"],
)
def test_patch_matrix(client, who):
    owner = make_resident()
    child, _ = actions.create_profile(actor=owner, name="Kid")
    users = {
        "owner": owner,
        "other_resident": make_resident(),
        "staff_other_department": make_staff(Role.SUPERVISOR, make_department("parks", "Parks")),
        "city_admin": make_staff(Role.CITY_ADMIN),
    }
    if who != "anonymous":
        client.force_login(users[who])
    response = client.patch(
        f"{URL}/{child.pk}", json.dumps({"name": "Changed"}), content_type="application/json"
    )
    expected = {"anonymous": 401, "owner": 200}.get(who, 404)
    assert response.status_code == expected
    child.refresh_from_db()
    assert child.name == ("Changed" if who == "owner" else "Kid")


def test_primary_profile_cannot_be_deleted(client):
    user = make_resident()
    client.force_login(user)
    primary = Profile.objects.get(account=user)
    response = client.delete(f"{URL}/{primary.pk}")
    assert response.status_code == 422
    assert Profile.objects.filter(pk=primary.pk).exists()


def test_me_lists_only_my_profiles(client):
    me, other = make_resident(), make_resident()
    actions.create_profile(actor=other, name="Not mine")
    client.force_login(me)
    body = client.get("/api/v1/me").json()
    assert body["email"] == me.email
    assert [p["name"] for p in body["profiles"]] == [Profile.objects.get(account=me).name]


def test_null_characters_are_a_field_error_not_a_crash(client):
    client.force_login(make_resident())
    response = post(client, {"name": "A\u0000B"})
    assert response.status_code == 422
    assert "name" in response.json()["errors"]


def test_quiet_hours_are_checked_on_the_whole_profile(client):
    user = make_resident()
    client.force_login(user)
    profile = Profile.objects.get(account=user)
    url = f"{URL}/{profile.pk}"
    both = {"quiet_hours_start": "22:00", "quiet_hours_end": "07:00"}
    assert client.patch(url, json.dumps(both), content_type="application/json").status_code == 200
    one = client.patch(
        url, json.dumps({"quiet_hours_start": "23:00"}), content_type="application/json"
    )
    assert one.status_code == 200 and one.json()["quiet_hours_end"] == "07:00:00"
    half = client.patch(
        url, json.dumps({"quiet_hours_start": None}), content_type="application/json"
    )
    assert half.status_code == 422
    profile.refresh_from_db()
    assert profile.quiet_hours_start is not None


def test_csrf_is_still_required_for_signed_in_writes():
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    assert post(strict, {"name": "X"}).status_code == 401
    strict.force_login(make_resident())
    response = post(strict, {"name": "X"})
    assert response.status_code == 403
    assert response.json()["detail"] == "CSRF check Failed"
