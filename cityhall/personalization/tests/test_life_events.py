"""Declaring a life event lays out its journey; steps can be marked done; progress is kept."""

import pytest
from django.core.exceptions import ValidationError

from cityhall.accounts.models import Profile
from cityhall.personalization import actions, queries
from cityhall.personalization.models import (
    DeclaredLifeEvent,
    EngagementEvent,
    EventKind,
    StepDone,
)
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_declare_is_idempotent_and_journey_shows_progress():
    catalog = make_moving_catalog()
    ana = make_resident()
    profile = Profile.objects.get(account=ana)
    _row, created = actions.declare_life_event(
        actor=ana, profile=profile, life_event_slug="moving-to-the-city"
    )
    _row, again = actions.declare_life_event(
        actor=ana, profile=profile, life_event_slug="moving-to-the-city"
    )
    assert (created, again) == (True, False)
    journey = queries.journeys_for(profile)[0]
    assert [s.title for s in journey.steps] == [
        "Start water service",
        "Trash day",
        "Parking permit",
    ]
    assert journey.done_count == 0
    first = journey.steps[0]
    assert actions.mark_step(
        actor=ana,
        profile=profile,
        life_event_slug="moving-to-the-city",
        step_id=first.id,
        done=True,
    )
    journey = queries.journey_for(profile, "moving-to-the-city")
    assert journey.done_count == 1 and journey.next_step.title == "Trash day"
    assert journey.percent == 33
    assert catalog["moving"].pk == DeclaredLifeEvent.objects.get().life_event_id


def test_a_request_made_with_consent_counts_as_done():
    catalog = make_moving_catalog()
    ana = make_resident()
    consent(ana)
    profile = Profile.objects.get(account=ana)
    actions.declare_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    actions.record_event(
        actor=ana, profile=profile, kind=EventKind.TRANSACTION, service_id=catalog["water"].pk
    )
    assert queries.journey_for(profile, "moving-to-the-city").done_count == 1
    assert EngagementEvent.objects.filter(kind=EventKind.LIFE_EVENT).count() == 1


def test_unknown_life_event_and_foreign_step_are_field_errors():
    make_moving_catalog()
    ana = make_resident()
    profile = Profile.objects.get(account=ana)
    with pytest.raises(ValidationError) as error:
        actions.declare_life_event(actor=ana, profile=profile, life_event_slug="winning-lottery")
    assert "life_event" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        actions.mark_step(
            actor=ana, profile=profile, life_event_slug="moving-to-the-city", step_id=99999,
            done=True,
        )  # fmt: skip
    assert "step" in error.value.error_dict
    assert not StepDone.objects.exists()


def test_withdrawing_removes_the_journey_and_other_profiles_cannot_declare():
    make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    profile = Profile.objects.get(account=ana)
    actions.declare_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    with pytest.raises(PermissionError):
        actions.withdraw_life_event(
            actor=ben, profile=profile, life_event_slug="moving-to-the-city"
        )
    assert actions.withdraw_life_event(
        actor=ana, profile=profile, life_event_slug="moving-to-the-city"
    )
    assert queries.journeys_for(profile) == []
