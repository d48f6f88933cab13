import pytest
from django.urls import reverse

from cityhall.accounts import actions, queries
from cityhall.accounts.models import ConsentPurpose, ConsentRecord
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_new_accounts_have_consent_off_with_a_record():
    user = make_resident()
    assert not queries.has_consent(user, ConsentPurpose.PERSONALISATION)
    assert ConsentRecord.objects.filter(account=user).count() == len(ConsentPurpose)


def test_changes_are_kept_as_history_with_text_version():
    user = make_resident()
    actions.set_consent(actor=user, purpose="personalisation", granted=True)
    assert queries.has_consent(user, ConsentPurpose.PERSONALISATION)
    actions.set_consent(actor=user, purpose="personalisation", granted=False)
    assert not queries.has_consent(user, ConsentPurpose.PERSONALISATION)
    history = ConsentRecord.objects.filter(account=user, purpose="personalisation")
    assert history.count() == 3
    assert all(r.text_version for r in history)


def test_consent_page_toggles(client):
    user = make_resident()
    client.force_login(user)
    response = client.post(reverse("accounts:consent"), {"purpose": "sms", "granted": "1"})
    assert response.status_code == 302
    assert queries.has_consent(user, ConsentPurpose.SMS)
    page = client.get(reverse("accounts:consent")).content.decode()
    assert "Withdraw consent" in page


def test_unknown_purpose_is_refused(client):
    user = make_resident()
    client.force_login(user)
    response = client.post(reverse("accounts:consent"), {"purpose": "sell-my-data", "granted": "1"})
    assert response.status_code == 200
    assert "Unknown consent" in response.content.decode()
    assert not ConsentRecord.objects.filter(purpose="sell-my-data").exists()


def test_withdrawing_personalisation_here_deletes_the_suggestion_history_at_once(client):
    from cityhall.personalization.actions import record_event
    from cityhall.personalization.models import EngagementEvent, EventKind

    user = make_resident()
    actions.set_consent(actor=user, purpose="personalisation", granted=True)
    record_event(actor=user, profile=user.profiles.get(), kind=EventKind.SEARCH, query="permit")
    assert EngagementEvent.objects.filter(profile__account=user).count() == 1
    client.force_login(user)
    response = client.post(
        reverse("accounts:consent"), {"purpose": "personalisation", "granted": "0"}
    )
    assert response.status_code == 302
    assert not queries.has_consent(user, ConsentPurpose.PERSONALISATION)
    assert EngagementEvent.objects.filter(profile__account=user).count() == 0
