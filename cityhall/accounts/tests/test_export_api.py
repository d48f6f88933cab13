import pytest

from cityhall.org.models import Role
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("who", ["anonymous", "resident", "other_resident", "city_admin"])
def test_export_returns_only_the_callers_data(client, who):
    owner = make_resident("owner@example.org")
    users = {
        "resident": owner,
        "other_resident": make_resident("other@example.org"),
        "city_admin": make_staff(Role.CITY_ADMIN, email="admin@city.example"),
    }
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get("/api/v1/me/export")
    if who == "anonymous":
        assert response.status_code == 401
        return
    assert response.status_code == 200
    assert response.json()["account"]["email"] == users[who].email
    if who != "resident":
        assert "owner@example.org" not in response.content.decode()
