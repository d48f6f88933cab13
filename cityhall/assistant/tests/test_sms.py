"""The assistant on the SMS line (the same Twilio webhook as SMS intake): questions are
answered with a link, a problem is still filed as a request, a person can take over and
their answer goes out as a text message, once."""

import itertools
import xml.etree.ElementTree as ET

import pytest
from django.test import Client

from cityhall.assistant import actions
from cityhall.assistant.models import Conversation, ConversationStatus
from cityhall.cases.models import Case, Channel
from cityhall.intake.twilio import compute_signature
from cityhall.notifications.models import Kind, Message
from cityhall.org.models import Role
from cityhall.testing import make_department, make_staff

pytestmark = pytest.mark.django_db(transaction=True)

URL = "http://testserver/intake/sms/twilio"
TOKEN = "test-twilio-token"
PHONE = "+14105550177"
_sids = itertools.count(900)


def text(body: str, phone: str = PHONE) -> str:
    sid = f"SM{next(_sids):032d}"
    params = {"MessageSid": sid, "From": phone, "To": "+14105550000", "Body": body}
    response = Client().post(
        "/intake/sms/twilio",
        params,
        HTTP_X_TWILIO_SIGNATURE=compute_signature(URL, params.items(), TOKEN),
    )
    assert response.status_code == 200
    message = ET.fromstring(response.content).find("Message")
    return message.text if message is not None else ""


def test_a_question_by_text_gets_the_answer_and_its_link(assistant_city):
    reply = text("how do i pay a parking ticket?")
    assert "ticket number" in reply
    assert "/pay-parking-ticket/" in reply
    assert Conversation.objects.get().channel == "sms"


def test_a_problem_texted_in_is_filed_as_a_request(assistant_city):
    first = text("There is a deep pothole at 3600 Falls Rd, cars swerve into the other lane")
    assert "request number" in first
    case = Case.objects.get()
    assert case.channel == Channel.SMS and case.contact_phone == PHONE
    assert case.reference in first


def test_asking_for_a_person_hands_over_and_the_reply_goes_by_text_once(assistant_city):
    reply = text("I want to talk to a real person")
    assert "person" in reply
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.WAITING
    # Further texts wait for the person instead of starting a report.
    assert "person will answer" in text("it's about my water bill")
    assert Case.objects.count() == 0
    agent = make_staff(Role.AGENT, make_department("customer-service", "311"))
    actions.agent_reply(actor=agent, conversation=conversation, text="Hi, Sam from 311 here.")
    actions.agent_reply(actor=agent, conversation=conversation, text="What is your account?")
    sent = list(Message.objects.order_by("pk"))
    assert [m.body for m in sent] == ["Hi, Sam from 311 here.", "What is your account?"]
    assert {(m.channel, m.to, m.kind) for m in sent} == {("sms", PHONE, Kind.REPLY)}
    assert len({m.dedupe_key for m in sent}) == 2


def test_trash_day_over_text_asks_for_the_address_then_answers(assistant_city):
    assert "address" in text("what day is trash collected?").lower()
    assert "next trash pickup is Monday" in text("3600 Falls Rd")
