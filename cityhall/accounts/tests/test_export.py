import json

import pytest
from django.urls import reverse

from cityhall.accounts import actions
from cityhall.org.models import Role
from cityhall.testing import make_address, make_resident, make_staff

pytestmark = pytest.mark.django_db


def test_download_holds_everything_about_me_and_nothing_about_others(client):
    make_address("3600 Falls Rd")
    me, other = make_resident("me@example.org"), make_resident("other@example.org")
    child, _ = actions.create_profile(actor=me, name="Kiddo", personas=["student"])
    actions.add_saved_address(actor=me, profile=child, address_text="3600 Falls Rd", label="Home")
    actions.set_consent(actor=me, purpose="sms", granted=True)
    actions.create_profile(actor=other, name="Stranger")
    agent = make_staff(Role.AGENT, email="agent@city.example")
    client.force_login(agent)
    client.get(reverse("staff:resident_record", args=[me.pk]))

    client.force_login(me)
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 200
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["account"]["email"] == "me@example.org"
    names = [p["name"] for p in data["profiles"]]
    assert "Kiddo" in names and "Stranger" not in names
    kiddo = next(p for p in data["profiles"] if p["name"] == "Kiddo")
    assert kiddo["addresses"][0]["neighbourhood"] == "Hampden"
    assert any(c["purpose"] == "sms" and c["granted"] for c in data["consents"])
    assert data["access_history"][0]["by"] == "agent@city.example"
    assert "other@example.org" not in response.content.decode()


def test_export_needs_sign_in(client):
    response = client.get(reverse("accounts:data_export"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
