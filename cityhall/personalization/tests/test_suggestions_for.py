"""suggestions_for: what comes first, why, and what consent changes."""

import datetime as dt

import pytest

from cityhall.accounts import actions as account_actions
from cityhall.accounts.models import Profile
from cityhall.catalog.models import LifeEvent
from cityhall.personalization import actions, queries
from cityhall.personalization.models import EligibilityRule, EngagementEvent, EventKind
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_address, make_resident, make_service

pytestmark = pytest.mark.django_db


def _primary(user):
    return Profile.objects.get(account=user, is_primary=True)


def test_without_anything_declared_every_suggestion_is_non_personal_and_explained():
    make_moving_catalog()
    found = queries.suggestions_for(_primary(make_resident()), limit=3)
    assert found.personalised is False
    assert [s.key for s in found.items][0] == "service:pothole-report"  # the most used
    assert all(s.reason and not s.personal for s in found.items)


def test_declared_journey_comes_first_and_moves_on_when_a_step_is_done():
    make_moving_catalog()
    ana = make_resident()
    profile = _primary(ana)
    actions.declare_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    first = queries.suggestions_for(profile).items[0]
    assert first.key == "service:start-stop-water-service"
    assert first.reason_code == "journey_step"
    assert "Moving to the city" in first.reason and "0 of 3" in first.reason
    step = queries.journey_for(profile, "moving-to-the-city").steps[0]
    actions.mark_step(
        actor=ana, profile=profile, life_event_slug="moving-to-the-city", step_id=step.id, done=True
    )
    assert queries.suggestions_for(profile).items[0].key == "service:trash-recycling-schedule"


def test_a_new_address_suggests_the_moving_journey():
    make_moving_catalog()
    ana = make_resident()
    profile = _primary(ana)
    make_address()
    account_actions.add_saved_address(actor=ana, profile=profile, address_text="3600 Falls Rd")
    first = queries.suggestions_for(profile).items[0]
    assert (first.key, first.reason) == (
        "journey:moving-to-the-city",
        "Because you registered a new address",
    )


def test_eligibility_rules_use_only_what_the_profile_told_us():
    catalog = make_moving_catalog()
    rule = EligibilityRule.objects.create(
        service=catalog["tax"],
        name="Senior credit",
        reason_en="you told us you are 65 or over",
        reason_es="nos dijo que tiene 65 años o más",
        personas=["senior"],
    )
    ana, ben = make_resident(), make_resident()
    account_actions.update_profile(actor=ana, profile=_primary(ana), personas=["senior"])
    queries.forget()
    found = queries.suggestions_for(_primary(ana)).items
    assert found[0].key == "service:senior-property-tax-credit"
    assert found[0].reason == "You may qualify: you told us you are 65 or over"
    assert "service:senior-property-tax-credit" not in [
        s.key
        for s in queries.suggestions_for(_primary(ben)).items
        if s.reason_code == "eligibility"
    ]
    # A rule on a declared life event, and a rule with no condition, which never matches.
    rule.personas = []
    rule.save()
    rule.life_events.add(LifeEvent.objects.get(slug="moving-to-the-city"))
    EligibilityRule.objects.create(
        service=catalog["permit"], name="Empty", reason_en="x", reason_es="x"
    )
    queries.forget()
    assert all(s.reason_code != "eligibility" for s in queries.suggestions_for(_primary(ana)).items)
    actions.declare_life_event(
        actor=ben, profile=_primary(ben), life_event_slug="moving-to-the-city"
    )
    eligible = [
        s.key
        for s in queries.suggestions_for(_primary(ben)).items
        if s.reason_code == "eligibility"
    ]
    assert eligible == ["service:senior-property-tax-credit"]


def test_dismissed_suggestions_do_not_come_back():
    make_moving_catalog()
    ana = make_resident()
    profile = _primary(ana)
    before = [s.key for s in queries.suggestions_for(profile, limit=3).items]
    actions.dismiss_suggestion(actor=ana, profile=profile, key=before[0])
    after = [s.key for s in queries.suggestions_for(profile, limit=3).items]
    assert before[0] not in after and len(after) == 3


def test_history_is_used_only_with_consent():
    catalog = make_moving_catalog()
    ana = make_resident()
    profile = _primary(ana)
    consent(ana)
    actions.record_service_view(actor=ana, profile=profile, service=catalog["pothole"])
    assert queries.suggestions_for(profile).personalised is True
    # The most used service was already seen: it is not suggested back.
    assert "service:pothole-report" not in [s.key for s in queries.suggestions_for(profile).items]
    actions.set_personalisation(actor=ana, granted=False)
    found = queries.suggestions_for(profile)
    assert found.personalised is False and not EngagementEvent.objects.exists()
    assert found.items[0].key == "service:pothole-report"


def test_season_gives_the_reason_in_its_months():
    make_moving_catalog()
    make_service("free-tax-preparation", "Free tax help", popularity=2.0, season="tax")
    profile = _primary(make_resident())
    march = queries.suggestions_for(profile, today=dt.date(2027, 3, 1)).items[0]
    assert (march.key, march.reason_code) == ("service:free-tax-preparation", "season")
    july = queries.suggestions_for(profile, today=dt.date(2027, 7, 1)).items[0]
    assert july.reason_code != "season"


def test_trained_model_suggests_what_people_did_next():
    catalog = make_moving_catalog()
    others = [make_resident() for _ in range(6)]
    for user in others:
        consent(user)
        for service in (catalog["water"], catalog["trash"]):
            actions.record_event(
                actor=user, profile=_primary(user), kind=EventKind.VIEW, service_id=service.pk
            )
    actions.train_suggestion_model()
    queries.forget()
    ana = make_resident()
    consent(ana)
    actions.record_service_view(actor=ana, profile=_primary(ana), service=catalog["water"])
    found = queries.suggestions_for(_primary(ana)).items
    assert found[0].reason_code == "life_event"  # water service opens the moving journey
    first = found[1]
    assert first.key == "service:trash-recycling-schedule"
    assert first.personal and first.reason == (
        "Residents who used “Start water service” often need this next"
    )


def test_query_count_is_small_and_fixed(django_assert_max_num_queries):
    make_moving_catalog()
    ana = make_resident()
    consent(ana)
    profile = _primary(ana)
    queries.suggestions_for(profile)  # loads this process's snapshot
    with django_assert_max_num_queries(1):
        queries.suggestions_for(profile)


def test_requests_the_account_made_count_as_history_only_with_consent():
    from cityhall.cases.actions import submit_case
    from cityhall.testing import make_request_type

    catalog = make_moving_catalog()
    pothole = make_request_type()
    catalog["pothole"].request_type = pothole
    catalog["pothole"].save()
    queries.forget()
    ana = make_resident()
    submit_case(
        actor=ana,
        service_code="pothole",
        description="Deep hole",
        channel="web",
        address_text="3600 Falls Rd",
    )
    profile = _primary(ana)
    assert queries.profile_facts(profile).history == []
    assert "service:pothole-report" in [s.key for s in queries.suggestions_for(profile).items]
    consent(ana)
    assert queries.profile_facts(profile).history == [catalog["pothole"].pk]
    assert "service:pothole-report" not in [s.key for s in queries.suggestions_for(profile).items]


def test_history_that_opens_a_journey_suggests_it_with_consent_only():
    catalog = make_moving_catalog()
    ana = make_resident()
    profile = _primary(ana)
    consent(ana)
    actions.record_service_view(actor=ana, profile=profile, service=catalog["water"])
    first = queries.suggestions_for(profile).items[0]
    assert (first.key, first.reason_code, first.personal) == (
        "journey:moving-to-the-city",
        "life_event",
        True,
    )
    assert first.reason == (
        "Because you used “Start water service”: every step of “Moving to the city”, in order"
    )
    actions.declare_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    assert queries.suggestions_for(profile).items[0].reason_code == "journey_step"
    actions.set_personalisation(actor=ana, granted=False)
    actions.withdraw_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    assert all(s.reason_code != "life_event" for s in queries.suggestions_for(profile).items)
