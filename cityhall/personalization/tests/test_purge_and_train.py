"""Retention, consent withdrawn elsewhere, and training on the worker."""

import datetime as dt

import pytest
from django.core.management import call_command
from django.test import override_settings
from django.utils import timezone

from cityhall.accounts.models import Profile
from cityhall.audit.models import AuditEvent
from cityhall.personalization import actions
from cityhall.personalization.models import EngagementEvent, EventKind, SuggestionModel
from cityhall.personalization.recommender import Model
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def _view(user, service, days_ago=0):
    event = actions.record_event(
        actor=user,
        profile=Profile.objects.get(account=user),
        kind=EventKind.VIEW,
        service_id=service.pk,
    )
    EngagementEvent.objects.filter(pk=event.pk).update(
        created_at=timezone.now() - dt.timedelta(days=days_ago)
    )


@override_settings(PERSONALIZATION_EVENT_RETENTION_DAYS=30)
def test_purge_forgets_old_history_and_history_without_consent():
    catalog = make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    consent(ana)
    consent(ben)
    _view(ana, catalog["water"], days_ago=31)
    _view(ana, catalog["trash"], days_ago=29)
    _view(ben, catalog["water"])
    consent(ben, granted=False)  # withdrawn on the account's consent page: events stay until now
    assert actions.purge_events() == 2
    assert list(EngagementEvent.objects.values_list("service_id", flat=True)) == [
        catalog["trash"].pk
    ]
    assert AuditEvent.objects.get(action="personalization.purged").detail["revoked"] == 1


@pytest.mark.django_db(transaction=True)  # the worker closes connections, as in production
def test_nightly_command_runs_purge_and_training_on_the_worker(run_worker):
    catalog = make_moving_catalog()
    ana = make_resident()
    consent(ana)
    _view(ana, catalog["water"])
    _view(ana, catalog["trash"])
    call_command("personalization-nightly")
    run_worker()
    stored = SuggestionModel.objects.get()
    assert (stored.events, stored.profiles) == (2, 1)
    model = Model.from_bytes(stored.data)
    water = model.index[catalog["water"].pk]
    assert model.items[model.neighbours[water][0]] == catalog["trash"].pk


def test_training_keeps_two_models_and_ignores_revoked_accounts():
    catalog = make_moving_catalog()
    ana = make_resident()
    consent(ana)
    _view(ana, catalog["water"])
    for _ in range(3):
        actions.train_suggestion_model()
    assert SuggestionModel.objects.count() == 2
    # Consent withdrawn, history not yet purged: training must not use it.
    consent(ana, granted=False)
    assert actions.train_suggestion_model().events == 0
