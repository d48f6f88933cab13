import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from cityhall.accounts import actions
from cityhall.accounts.models import Profile
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_signup_profile_is_primary_and_only_one():
    user = make_resident()
    again = actions.create_primary_profile(actor=user)
    assert Profile.objects.filter(account=user).count() == 1
    assert again.is_primary


def test_creates_profile_with_cleaned_fields():
    user = make_resident()
    profile, created = actions.create_profile(
        actor=user, name="  Abuela Rosa ", language="es", personas=["senior", "senior"]
    )
    assert created
    assert profile.name == "Abuela Rosa"
    assert profile.personas == ["senior"]
    assert profile.language == "es"


def test_seventh_profile_is_refused_with_a_message():
    user = make_resident()
    for i in range(5):
        actions.create_profile(actor=user, name=f"Kid {i}")
    assert Profile.objects.filter(account=user).count() == 6
    with pytest.raises(ValidationError) as error:
        actions.create_profile(actor=user, name="One too many")
    assert "up to 6 profiles" in str(error.value.message_dict["__all__"])
    assert Profile.objects.filter(account=user).count() == 6


def test_retry_with_same_key_returns_first_profile():
    user = make_resident()
    first, created_first = actions.create_profile(actor=user, name="Sam", idempotency_key="k-1")
    second, created_second = actions.create_profile(actor=user, name="Sam", idempotency_key="k-1")
    assert (created_first, created_second) == (True, False)
    assert first.pk == second.pk
    assert Profile.objects.filter(account=user, name="Sam").count() == 1


def test_same_key_on_other_account_is_independent():
    a, b = make_resident(), make_resident()
    pa, _ = actions.create_profile(actor=a, name="Sam", idempotency_key="shared")
    pb, created = actions.create_profile(actor=b, name="Sam", idempotency_key="shared")
    assert created and pa.pk != pb.pk


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"name": ""}, "name"),
        ({"name": "x" * 81}, "name"),
        ({"name": "A", "personas": ["wizard"]}, "personas"),
        ({"name": "A", "interests": ["nope"]}, "interests"),
        ({"name": "A", "language": "fr"}, "language"),
        ({"name": "A", "sms_phone": "12"}, "sms_phone"),
        ({"name": "A", "notify_sms": True}, "sms_phone"),
        ({"name": "A", "quiet_hours_start": "22:00"}, "quiet_hours_end"),
    ],
)
def test_bad_fields_are_named(fields, bad_field):
    user = make_resident()
    with pytest.raises(ValidationError) as error:
        actions.create_profile(actor=user, **fields)
    assert bad_field in error.value.message_dict
    assert Profile.objects.filter(account=user).count() == 1


def test_form_shows_field_errors_and_the_limit(client):
    user = make_resident()
    client.force_login(user)
    response = client.post(reverse("accounts:profile_create"), {"name": "", "digest": "daily"})
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    for i in range(5):
        actions.create_profile(actor=user, name=f"P{i}")
    response = client.post(
        reverse("accounts:profile_create"),
        {"name": "Seventh", "language": "en", "digest": "immediate"},
    )
    assert response.status_code == 400
    assert "up to 6 profiles" in response.content.decode()


def test_form_double_submit_creates_one_profile(client):
    user = make_resident()
    client.force_login(user)
    data = {"name": "Leo", "language": "en", "digest": "immediate", "idempotency_key": "abc123"}
    first = client.post(reverse("accounts:profile_create"), data)
    second = client.post(reverse("accounts:profile_create"), data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    assert Profile.objects.filter(account=user, name="Leo").count() == 1
