import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from cityhall.accounts.models import Profile, User
from cityhall.testing import PASSWORD, make_resident

pytestmark = pytest.mark.django_db


def signup(client, email, password=PASSWORD):
    return client.post(
        reverse("account_signup"), {"email": email, "password1": password, "password2": password}
    )


def test_signup_sends_verification_and_creates_primary_profile(client):
    response = signup(client, "new@example.org")
    assert response.status_code == 302
    user = User.objects.get(email="new@example.org")
    assert Profile.objects.get(account=user).is_primary
    assert not EmailAddress.objects.get(user=user).verified
    assert len(mail.outbox) == 1
    link = re.search(r"http://\S+/accounts/confirm-email/\S+/", mail.outbox[0].body).group(0)
    confirm = client.post(link.replace("http://testserver", ""))
    assert confirm.status_code == 302
    assert EmailAddress.objects.get(user=user).verified


def test_existing_email_reveals_nothing(client):
    make_resident("taken@example.org")
    fresh = signup(client, "fresh@example.org")
    client.logout()
    taken = signup(client, "taken@example.org")
    assert taken.status_code == fresh.status_code == 302
    assert taken["Location"] == fresh["Location"]
    assert User.objects.filter(email="taken@example.org").count() == 1
    # The holder of the address is told by email; the visitor learns nothing on the page.
    assert any("taken@example.org" in m.to for m in mail.outbox)


def test_weak_password_gets_a_field_message(client):
    response = signup(client, "weak@example.org", password="password")
    assert response.status_code == 200
    body = response.content.decode()
    assert "too common" in body or "too short" in body
    assert not User.objects.filter(email="weak@example.org").exists()


def test_malformed_email_gets_a_field_message(client):
    response = signup(client, "not-an-email")
    assert response.status_code == 200
    assert "valid email" in response.content.decode()


def test_repeated_failed_sign_ins_are_rate_limited(client):
    make_resident("target@example.org")
    bodies = []
    for _ in range(7):
        response = client.post(
            reverse("account_login"), {"login": "target@example.org", "password": "wrong-guess"}
        )
        bodies.append(response.content.decode())
    assert "Too many failed" not in bodies[0]
    assert "Too many failed" in bodies[-1]
    good = client.post(
        reverse("account_login"), {"login": "target@example.org", "password": PASSWORD}
    )
    assert good.status_code == 200, "the right password is refused too while locked out"
    assert "Too many failed" in good.content.decode()
