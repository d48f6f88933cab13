"""Task flows: case status (never another resident's), trash day, opening hours."""

import datetime as dt
import json

import pytest
from django.test import Client
from django.utils import timezone

from cityhall.assistant import queries
from cityhall.cases.actions import submit_case
from cityhall.cases.models import Channel, Holiday
from cityhall.org.models import Office
from cityhall.testing import PASSWORD, make_resident

URL = "/api/v1/assistant/messages"
pytestmark = pytest.mark.django_db


def say(client, text, conversation=None):
    body = {"conversation": conversation, "text": text}
    return client.post(URL, data=json.dumps(body), content_type="application/json").json()


@pytest.fixture
def reported(assistant_city):
    owner = make_resident("owner@example.org")
    case, _ = submit_case(
        actor=owner,
        service_code="pothole-repair",
        description="Deep pothole by the bus stop",
        channel=Channel.WEB,
        address_text="3600 Falls Rd",
        contact_email="owner@example.org",
        contact_phone="+14105550101",
    )
    return case


def test_the_owner_signed_in_hears_the_status_at_once(reported):
    client = Client()
    client.login(username="owner@example.org", password=PASSWORD)
    reply = say(client, f"what's the status of {reported.reference}")["reply"]
    assert reported.reference in reply["text"]
    assert "received" in reply["text"].lower()
    assert reply["links"][0]["url"].endswith(f"/cases/{reported.reference}/")


def test_a_stranger_with_the_number_must_give_the_matching_contact(reported):
    client = Client()
    first = say(client, f"status of request {reported.reference}?")
    assert "email address or phone number" in first["reply"]["text"]
    assert "Pothole" not in first["reply"]["text"]
    wrong = say(client, "someone@else.org", first["conversation"])["reply"]["text"]
    assert "Pothole" not in wrong and "received" not in wrong.lower()
    right = say(client, "OWNER@example.org", first["conversation"])["reply"]["text"]
    assert "Pothole Repair" in right


def test_the_phone_given_when_reporting_works_as_the_contact(reported):
    client = Client()
    first = say(client, f"how is {reported.reference} going")
    reply = say(client, "(410) 555-0101", first["conversation"])["reply"]["text"]
    assert reported.reference in reply and "Pothole Repair" in reply


def test_another_signed_in_resident_gets_nothing_and_guessing_stops(reported):
    client = Client()
    client.login(username=make_resident("nosy@example.org").email, password=PASSWORD)
    first = say(client, f"status {reported.reference}")
    conversation = first["conversation"]
    for guess in ("a@b.org", "c@d.org", "e@f.org"):
        text = say(client, guess, conversation)["reply"]["text"]
        assert "Pothole" not in text
    assert "can't share" in text


def test_an_unknown_number_gets_the_same_words_as_a_known_one(reported):
    client = Client()
    known = say(client, f"status of {reported.reference}")["reply"]["text"]
    unknown = say(Client(), "status of 2026-999999")["reply"]["text"]
    assert known.replace(reported.reference, "N") == unknown.replace("2026-999999", "N")


def test_trash_day_for_an_address_in_the_message(assistant_city):
    reply = say(Client(), "when is trash pickup at 3600 Falls Rd?")["reply"]
    assert "3600 Falls Rd" in reply["text"]
    assert "trash pickup is Monday" in reply["text"]
    assert "trash-pickup-day" in reply["links"][0]["url"]


def test_trash_day_uses_the_signed_in_residents_saved_address(assistant_city):
    from cityhall.accounts.models import SavedAddress

    resident = make_resident()
    SavedAddress.objects.create(profile=resident.profiles.get(), address=assistant_city)
    client = Client()
    client.login(username=resident.email, password=PASSWORD)
    assert "3600 Falls Rd" in say(client, "what day is my garbage collected")["reply"]["text"]


def test_a_holiday_moves_collection_a_day_later(assistant_city):
    monday = dt.date(2026, 12, 7)
    Holiday.objects.create(date=monday, name="Test holiday")
    collection = queries.collection_for(assistant_city, today=dt.date(2026, 12, 5))
    assert collection is not None
    assert collection.trash_day == dt.date(2026, 12, 8)
    plain = queries.collection_for(assistant_city, today=dt.date(2026, 12, 12))
    assert plain is not None and plain.trash_day == dt.date(2026, 12, 14)
    # Recycling every other week from Monday 5 January 2026.
    assert (plain.recycling_day - dt.date(2026, 1, 5)).days % 14 == 0


def test_opening_hours_name_the_office_and_the_day(assistant_city):
    text = say(Client(), "is the library open on saturday?")["reply"]["text"]
    assert "Central Library is open on Saturday" in text and "10:00–17:00" in text
    text = say(Client(), "is city hall open on sunday")["reply"]["text"]
    assert "City Hall is closed on Sunday" in text


def test_offices_close_on_city_holidays(assistant_city):
    office = Office.objects.get(slug="city-hall")
    today = timezone.localdate()
    weekday = today + dt.timedelta(days=(7 - today.weekday()) % 7 or 7)  # next Monday
    Holiday.objects.create(date=weekday, name="Founders Day")
    hours, holiday = queries.opening_today(office, weekday)
    assert hours == [] and holiday == "Founders Day"


def test_dates_are_written_the_spanish_way(assistant_city):
    body = {"text": "¿qué día pasa la basura en 3600 Falls Rd?", "lang": "es"}
    reply = Client().post(URL, data=json.dumps(body), content_type="application/json").json()
    assert "la próxima recolección de basura es el lunes" in reply["reply"]["text"]
    assert " de " in reply["reply"]["text"].split("es el lunes", 1)[1][:15]
