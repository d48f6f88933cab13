"""Every page a resident or staff member can reach renders (no 500s), signed in or not."""

import pytest
from django.urls import reverse

from cityhall.org.models import Role
from cityhall.testing import give_totp, make_address, make_resident, make_staff

pytestmark = pytest.mark.django_db

PUBLIC = [
    "core:home",
    "core:accessibility",
    "account_login",
    "account_signup",
    "account_reset_password",
    "api:openapi-view",
]
RESIDENT = [
    "accounts:home",
    "accounts:profile_create",
    "accounts:consent",
    "accounts:privacy",
    "account_email",
    "account_change_password",
    "mfa_index",
    "usersessions_list",
    "mfa_view_recovery_codes",
    "mfa_list_webauthn",
    "mfa_add_webauthn",
]


@pytest.mark.parametrize("name", PUBLIC)
def test_public_pages(client, name):
    assert client.get(reverse(name)).status_code == 200


@pytest.mark.parametrize("name", RESIDENT)
def test_resident_pages(client, name):
    user = make_resident()
    give_totp(user)
    client.force_login(user)
    response = client.get(reverse(name))
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        assert "reauthenticate" in response["Location"]


def test_profile_and_address_pages(client):
    make_address()
    user = make_resident()
    client.force_login(user)
    profile = user.profiles.get()
    assert client.get(reverse("accounts:profile_edit", args=[profile.pk])).status_code == 200
    assert client.get(reverse("accounts:address_add", args=[profile.pk])).status_code == 200
    options = client.get(reverse("accounts:address_suggestions"), {"address": "3600 fa"})
    assert "3600 Falls Rd" in options.content.decode()


@pytest.mark.parametrize("role", [Role.AGENT, Role.AUDITOR, Role.CITY_ADMIN])
def test_staff_pages(client, role):
    client.force_login(make_staff(role))
    assert client.get(reverse("staff:home")).status_code == 200
    if role == Role.CITY_ADMIN:
        assert client.get("/admin/").status_code == 200
        assert client.get("/admin/org/staffmembership/").status_code == 200
        assert client.get("/admin/catalog/servicetype/").status_code == 200


def test_unknown_pages_get_a_helpful_404(client):
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Page not found" in body and 'action="/search/"' in body


def test_server_error_page_needs_no_context():
    from django.template.loader import render_to_string

    assert "Something went wrong" in render_to_string("500.html")
