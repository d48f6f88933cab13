import pytest
from allauth.mfa.models import Authenticator
from allauth.usersessions.models import UserSession
from django.test import Client
from django.urls import reverse

from cityhall.testing import PASSWORD, current_totp, give_totp, make_resident

pytestmark = pytest.mark.django_db


def sign_in(email: str) -> Client:
    client = Client(HTTP_USER_AGENT="pytest")
    response = client.post(reverse("account_login"), {"login": email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_sessions_are_listed_and_can_all_be_ended(client):
    make_resident("many.devices@example.org")
    laptop, phone = sign_in("many.devices@example.org"), sign_in("many.devices@example.org")
    assert UserSession.objects.filter(user__email="many.devices@example.org").count() == 2
    page = laptop.get(reverse("usersessions_list"))
    assert page.status_code == 200
    laptop.post(reverse("usersessions_list"))
    assert UserSession.objects.filter(user__email="many.devices@example.org").count() == 1
    assert phone.get("/account/").status_code == 302, "the phone's session was signed out"
    assert laptop.get("/account/").status_code == 200


def test_wrong_totp_code_is_refused_with_a_message():
    user = make_resident("careful@example.org")
    secret = give_totp(user)
    client = Client()
    client.post(reverse("account_login"), {"login": "careful@example.org", "password": PASSWORD})
    wrong = client.post(reverse("mfa_authenticate"), {"code": "000000"})
    assert wrong.status_code == 200
    assert "Incorrect code" in wrong.content.decode()
    right = current_totp(secret)
    ok = client.post(reverse("mfa_authenticate"), {"code": right})
    assert ok.status_code == 302
    assert client.get("/account/").status_code == 200


def test_recovery_codes_and_passkeys_are_offered(client):
    user = make_resident()
    give_totp(user)
    client.force_login(user)
    index = client.get(reverse("mfa_index")).content.decode()
    assert "Recovery Codes" in index or "recovery" in index.lower()
    assert "Security Keys" in index or "passkey" in index.lower()
    assert Authenticator.objects.filter(user=user, type="totp").exists()
