"""Campaigns: targeting, approval by a second person, enqueue, and who may do what."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from cityhall.accounts.models import SavedAddress
from cityhall.notifications import actions, queries
from cityhall.notifications.models import Campaign, CampaignStatus, Message, Status
from cityhall.notifications.tests.conftest import drain, set_profile
from cityhall.org.models import Role
from cityhall.testing import make_address, make_neighbourhood, make_resident, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

WORDS = {
    "subject_en": "Water main work on your street",
    "body_en": "Hello {{ name }}, water will be off on Tuesday. {{ link }}",
    "sms_en": "City Hall: water off Tuesday on your street.",
    "subject_es": "Obras de agua en su calle",
    "body_es": "Hola {{ name }}, no habrá agua el martes. {{ link }}",
    "sms_es": "Alcaldía: sin agua el martes en su calle.",
}


@pytest.fixture
def city():
    hampden = make_neighbourhood("hampden", "Hampden")
    other = make_neighbourhood("canton", "Canton")
    here = make_address("3600 Falls Rd")
    there = make_address("2900 Boston St")
    there.neighbourhood = other
    there.lat, there.lng = here.lat + 0.02, here.lng + 0.02
    there.save()
    return {"hampden": hampden, "here": here, "there": there}


def lives_at(user, address, **profile):
    set_profile(user, **profile)
    SavedAddress.objects.create(profile=user.profiles.get(is_primary=True), address=address)
    return user


def campaign_data(**overrides):
    base = {"title": "Water works", "topic": "environment", "channels": ["email"], **WORDS}
    return base | overrides


def test_targeting_by_neighbourhood_topic_and_persona(city):
    writer = make_staff(Role.SUPERVISOR)
    near = lives_at(make_resident(), city["here"], interests=["environment"], personas=["renter"])
    lives_at(make_resident(), city["here"], interests=["parks"])  # wrong topic
    lives_at(make_resident(), city["there"], interests=["environment"])  # wrong place
    campaign = actions.save_campaign(
        actor=writer,
        data=campaign_data(neighbourhoods=[city["hampden"].pk], topics=["environment"]),
    )
    assert list(queries.campaign_audience(campaign).values_list("account_id", flat=True)) == [
        near.pk
    ]
    circle = actions.save_campaign(
        actor=writer,
        data=campaign_data(
            center_lat=city["here"].lat, center_lng=city["here"].lng, radius_m=50,
            personas=["renter"],
        ),
    )  # fmt: skip
    assert circle.audience_size == 1


def test_a_drawn_area_selects_saved_addresses_inside_it(city):
    writer = make_staff(Role.SUPERVISOR)
    inside = lives_at(make_resident(), city["here"])
    lives_at(make_resident(), city["there"])
    lat, lng = city["here"].lat, city["here"].lng
    square = [[lat - 0.001, lng - 0.001], [lat - 0.001, lng + 0.001],
              [lat + 0.001, lng + 0.001], [lat + 0.001, lng - 0.001]]  # fmt: skip
    campaign = actions.save_campaign(actor=writer, data=campaign_data(polygon=square))
    assert list(queries.campaign_audience(campaign).values_list("account_id", flat=True)) == [
        inside.pk
    ]


def test_bad_campaigns_are_refused_field_by_field(city):
    writer = make_staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as refused:
        actions.save_campaign(
            actor=writer,
            data=campaign_data(
                body_en="Hi {{ first_name }}", channels=["sms"], sms_es="", polygon=[[1, 2]],
                radius_m=5,
            ),
        )  # fmt: skip
    errors = refused.value.message_dict
    assert "first_name" in errors["body_en"][0]
    assert {"sms_es", "polygon", "radius_m"} <= set(errors)


def test_big_campaigns_need_a_second_person_and_then_send(
    city, monkeypatch, deliverer, smtp_server, run_worker
):
    monkeypatch.setattr(queries, "APPROVAL_THRESHOLD", 1)
    writer, colleague = make_staff(Role.SUPERVISOR), make_staff(Role.SUPERVISOR)
    people = [lives_at(make_resident(), city["here"], language=lang) for lang in ("en", "es")]
    campaign = actions.save_campaign(
        actor=writer, data=campaign_data(neighbourhoods=[city["hampden"].pk])
    )
    campaign = actions.submit_campaign(actor=writer, campaign=campaign)
    assert campaign.status == CampaignStatus.AWAITING_APPROVAL
    with pytest.raises(PermissionDenied):
        actions.approve_campaign(actor=writer, campaign=campaign)  # not the author
    actions.approve_campaign(actor=colleague, campaign=campaign)
    run_worker()  # the background task writes the messages
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENDING and campaign.enqueued == 2
    drain(deliverer)
    english = smtp_server.to(people[0].email)[0]
    spanish = smtp_server.to(people[1].email)[0]
    assert english["Subject"] == WORDS["subject_en"]
    assert spanish["Subject"] == WORDS["subject_es"]
    assert english["List-Unsubscribe"].strip().startswith("<https://city.example/unsubscribe/")
    campaign.refresh_from_db()
    assert campaign.status == CampaignStatus.SENT
    assert queries.campaign_counts(campaign) == {"sent": 2}


def test_unsubscribing_from_a_topic_drops_you_from_its_next_campaign(city, client):
    writer = make_staff(Role.SUPERVISOR)
    person = lives_at(make_resident(), city["here"])
    token = actions.unsubscribe_token(person.pk, "topic:environment")
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    campaign = actions.save_campaign(
        actor=writer, data=campaign_data(neighbourhoods=[city["hampden"].pk])
    )
    assert campaign.audience_size == 0


def test_cancelling_stops_what_was_not_handed_over(city):
    writer = make_staff(Role.SUPERVISOR)
    lives_at(make_resident(), city["here"])
    campaign = actions.save_campaign(
        actor=writer, data=campaign_data(neighbourhoods=[city["hampden"].pk])
    )
    Campaign.objects.filter(pk=campaign.pk).update(status=CampaignStatus.APPROVED)
    assert actions.enqueue_campaign(campaign_id=campaign.pk) == 1
    assert actions.enqueue_campaign(campaign_id=campaign.pk) == 0  # runs once
    assert actions.cancel_campaign(actor=writer, campaign=campaign) == 1
    assert Message.objects.get(campaign=campaign).status == Status.CANCELLED


def test_only_a_city_admin_writes_emergency_alerts():
    supervisor = make_staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as refused:
        actions.save_campaign(actor=supervisor, data=campaign_data(is_emergency=True, topic=""))
    assert "is_emergency" in refused.value.message_dict
    admin = make_staff(Role.CITY_ADMIN)
    alert = actions.save_campaign(actor=admin, data=campaign_data(is_emergency=True, topic=""))
    assert alert.is_emergency


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("resident", 404), ("caseworker", 404), ("supervisor", 200)],
)
def test_staff_pages_authorization_matrix(client, who, status):
    users = {
        "resident": lambda: make_resident(),
        "caseworker": lambda: make_staff(Role.CASEWORKER),
        "supervisor": lambda: make_staff(Role.SUPERVISOR),
    }
    if who != "anonymous":
        client.force_login(users[who]())
    for url in ("/staff/notifications/", "/staff/notifications/campaigns/new/"):
        assert client.get(url).status_code == status


def test_a_campaign_is_visible_only_to_composers(client, city):
    writer = make_staff(Role.SUPERVISOR)
    campaign = actions.save_campaign(actor=writer, data=campaign_data())
    url = f"/staff/notifications/campaigns/{campaign.pk}/"
    client.force_login(make_resident())
    assert client.get(url).status_code == 404
    client.force_login(writer)
    page = client.get(url)
    assert page.status_code == 200 and b"Water works" in page.content


def test_the_composer_form_reports_errors_per_field(client, city):
    client.force_login(make_staff(Role.SUPERVISOR))
    response = client.post("/staff/notifications/campaigns/new/", {"title": ""})
    assert response.status_code == 200
    form = response.context["form"]
    assert {"title", "channels", "subject_en"} <= set(form.errors)
