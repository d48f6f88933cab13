"""Dismissing: idempotent, validated, one's own profile only."""

import pytest
from django.core.exceptions import ValidationError

from cityhall.accounts.models import Profile
from cityhall.audit.models import AuditEvent
from cityhall.personalization import actions
from cityhall.personalization.models import Dismissal
from cityhall.personalization.tests.factories import make_moving_catalog
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_dismissing_twice_keeps_one_row_and_one_audit():
    make_moving_catalog()
    ana = make_resident()
    profile = Profile.objects.get(account=ana)
    _first, created = actions.dismiss_suggestion(
        actor=ana, profile=profile, key="service:pothole-report"
    )
    _again, created_again = actions.dismiss_suggestion(
        actor=ana, profile=profile, key="service:pothole-report"
    )
    assert (created, created_again) == (True, False)
    assert Dismissal.objects.count() == 1
    assert AuditEvent.objects.filter(action="personalization.dismissed").count() == 1


@pytest.mark.parametrize("key", ["", "service:nope", "case:1", "journey:nope", "x" * 200])
def test_unknown_keys_are_field_errors(key):
    make_moving_catalog()
    ana = make_resident()
    with pytest.raises(ValidationError) as error:
        actions.dismiss_suggestion(actor=ana, profile=Profile.objects.get(account=ana), key=key)
    assert "key" in error.value.error_dict
    assert not Dismissal.objects.exists()


def test_someone_elses_profile_is_refused():
    make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    with pytest.raises(PermissionError):
        actions.dismiss_suggestion(
            actor=ben, profile=Profile.objects.get(account=ana), key="journey:moving-to-the-city"
        )
    assert not Dismissal.objects.exists()
