import pytest
from django.urls import reverse

from cityhall.org.models import Role
from cityhall.testing import give_totp, make_resident, make_staff

pytestmark = pytest.mark.django_db


def test_staff_without_second_factor_are_sent_to_set_one_up(client):
    agent = make_staff(Role.AGENT, with_mfa=False)
    client.force_login(agent)
    response = client.get(reverse("staff:home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")
    give_totp(agent)
    assert client.get(reverse("staff:home")).status_code == 200


def test_admin_also_needs_mfa(client):
    admin = make_staff(Role.CITY_ADMIN, with_mfa=False)
    client.force_login(admin)
    assert client.get("/admin/").status_code == 302
    give_totp(admin)
    assert client.get("/admin/").status_code == 200


def test_residents_are_not_forced_into_mfa_and_cannot_see_staff_pages(client):
    client.force_login(make_resident())
    assert client.get("/account/").status_code == 200
    assert client.get(reverse("staff:home")).status_code == 404
