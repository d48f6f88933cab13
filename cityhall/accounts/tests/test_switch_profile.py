import pytest
from django.urls import reverse

from cityhall.accounts import actions
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_switching_changes_active_profile_and_language(client):
    user = make_resident()
    abuela, _ = actions.create_profile(actor=user, name="Abuela", language="es")
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_switch"), {"profile": abuela.pk, "next": "/account/"}
    )
    assert response.status_code == 302 and response["Location"] == "/account/"
    page = client.get("/").content.decode()
    assert "Hola, Abuela" in page


def test_cannot_switch_to_another_household(client):
    user, other = make_resident(), make_resident()
    theirs, _ = actions.create_profile(actor=other, name="Theirs")
    client.force_login(user)
    client.post(reverse("accounts:profile_switch"), {"profile": theirs.pk})
    page = client.get("/").content.decode()
    assert "Theirs" not in page


def test_open_redirect_is_refused(client):
    user = make_resident()
    client.force_login(user)
    response = client.post(
        reverse("accounts:profile_switch"),
        {"profile": user.profiles.get().pk, "next": "//evil.example/"},
    )
    assert response["Location"] == "/"
