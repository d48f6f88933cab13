import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityhall.accounts import actions
from cityhall.accounts.models import Profile, SavedAddress
from cityhall.testing import make_address, make_resident

pytestmark = pytest.mark.django_db


def test_known_address_is_saved_with_neighbourhood():
    make_address("3600 Falls Rd")
    user = make_resident()
    profile = Profile.objects.get(account=user)
    saved, created = actions.add_saved_address(
        actor=user, profile=profile, address_text="3600 falls road, Baltimore", label="Home"
    )
    assert created
    assert saved.address.neighbourhood.name == "Hampden"


def test_unknown_address_gets_a_field_error():
    make_address("3600 Falls Rd")
    user = make_resident()
    with pytest.raises(ValidationError) as error:
        actions.add_saved_address(
            actor=user, profile=user.profiles.get(), address_text="1 Nowhere Lane"
        )
    assert "address list" in error.value.message_dict["address"][0]


def test_retry_with_key_saves_once():
    make_address("3600 Falls Rd")
    user = make_resident()
    profile = user.profiles.get()
    for _ in range(2):
        actions.add_saved_address(
            actor=user, profile=profile, address_text="3600 Falls Rd", idempotency_key="same"
        )
    assert SavedAddress.objects.filter(profile=profile).count() == 1


def test_cannot_add_to_someone_elses_profile(client):
    make_address("3600 Falls Rd")
    owner, intruder = make_resident(), make_resident()
    client.force_login(intruder)
    url = reverse("accounts:address_add", args=[owner.profiles.get().pk])
    response = client.post(url, {"address": "3600 Falls Rd"})
    assert response.status_code == 404
    assert not SavedAddress.objects.exists()


def test_form_suggests_close_matches(client):
    make_address("3600 Falls Rd")
    user = make_resident()
    client.force_login(user)
    url = reverse("accounts:address_add", args=[user.profiles.get().pk])
    response = client.post(url, {"address": "3600 Fal"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "address list" in body
    assert "3600 Falls Rd" in body


def test_oversized_input_is_a_field_error(client):
    user = make_resident()
    client.force_login(user)
    url = reverse("accounts:address_add", args=[user.profiles.get().pk])
    response = client.post(url, {"address": "9" * 500, "label": "x" * 100})
    assert response.status_code == 400
    assert "at most 200 characters" in response.content.decode()
