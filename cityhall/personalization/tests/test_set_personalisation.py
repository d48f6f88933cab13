"""Turning personal suggestions off deletes the history; on/off is audited."""

import pytest

from cityhall.accounts.models import ConsentPurpose, Profile
from cityhall.accounts.queries import has_consent
from cityhall.audit.models import AuditEvent
from cityhall.personalization import actions
from cityhall.personalization.models import EngagementEvent
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_off_deletes_only_this_accounts_history():
    catalog = make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    for user in (ana, ben):
        consent(user)
        profile = Profile.objects.get(account=user)
        actions.record_service_view(actor=user, profile=profile, service=catalog["water"])
    deleted = actions.set_personalisation(actor=ana, granted=False)
    assert deleted == 1
    assert not has_consent(ana, ConsentPurpose.PERSONALISATION)
    assert list(EngagementEvent.objects.values_list("profile__account", flat=True)) == [ben.pk]
    audit = AuditEvent.objects.get(action="personalization.consent")
    assert audit.subject_id == ana.pk and audit.detail == {"granted": False, "deleted": 1}


def test_on_records_consent():
    ana = make_resident()
    assert actions.set_personalisation(actor=ana, granted=True) == 0
    assert has_consent(ana, ConsentPurpose.PERSONALISATION)
