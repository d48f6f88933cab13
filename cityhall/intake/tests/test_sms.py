"""SMS intake through the real webhook: Twilio's signature, the conversation, carrier
keywords, idempotent retries."""

import datetime as dt
import itertools
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cityhall.cases.actions import submit_case
from cityhall.cases.models import Case, Channel
from cityhall.intake.models import SmsConversation, SmsMessage, SmsStep
from cityhall.intake.twilio import compute_signature, signature_is_valid

pytestmark = pytest.mark.django_db(transaction=True)

URL = "http://testserver/intake/sms/twilio"
TOKEN = "test-twilio-token"  # settings_test.TWILIO_AUTH_TOKEN
PHONE = "+14105550123"
_sids = itertools.count(1)


def new_sid() -> str:
    return f"SM{next(_sids):032d}"


def text(client, body, *, sid=None, phone=PHONE, extra=None, signature=None):
    """POST what Twilio posts for an inbound SMS; return (response, reply text or None)."""
    sid = sid or new_sid()
    params = {
        "MessageSid": sid,
        "SmsMessageSid": sid,
        "AccountSid": "AC" + "0" * 32,
        "From": phone,
        "To": "+14105550000",
        "Body": body,
        "NumMedia": "0",
    } | (extra or {})
    if signature is None:
        signature = compute_signature(URL, params.items(), TOKEN)
    response = client.post("/intake/sms/twilio", params, HTTP_X_TWILIO_SIGNATURE=signature)
    if response.status_code != 200:
        return response, None
    assert response["Content-Type"].startswith("text/xml")
    root = ET.fromstring(response.content)
    assert root.tag == "Response"
    message = root.find("Message")
    return response, (message.text if message is not None else None)


# --- Signature ------------------------------------------------------------------------------


def test_signature_matches_twilios_published_examples():
    # The reference values from Twilio's own validator tests (twilio-python).
    uri = "https://mycompany.com/myapp.php?foo=1&bar=2"
    params = {
        "CallSid": "CA1234567890ABCDE",
        "Digits": "1234",
        "From": "+14158675309",
        "To": "+18005551212",
        "Caller": "+14158675309",
    }
    assert compute_signature(uri, params.items(), "12345") == "RSOYDt4T1cUTdK1PDd93/VVr8B8="
    repeated = [("Sid", "CA123"), ("SidAccount", "AC123"), ("Digits", "5678"), ("Digits", "1234")]
    assert compute_signature(uri, repeated, "12345") == "IK+Dwps556ElfBT0I3Rgjkr1wJU="
    # Twilio may have signed with or without the default port.
    assert signature_is_valid(uri, params.items(), "kvajT1Ptam85bY51eRf/AJRuM3w=", "12345")
    http = uri.replace("https", "http")
    assert signature_is_valid(http, params.items(), "0ZXoZLH/DfblKGATFgpif+LLRf4=", "12345")
    with_port = uri.replace(".com", ".com:1234")
    assert signature_is_valid(with_port, params.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "12345")
    assert not signature_is_valid(uri, params.items(), "RSOYDt4T1cUTdK1PDd93/VVr8B8=", "54321")


@pytest.mark.parametrize("signature", ["", "bm90IHRoZSByaWdodCBzaWduYXR1cmU="])
def test_a_request_without_a_valid_signature_is_refused(client, city, signature):
    response, _reply = text(client, "pothole", signature=signature)
    assert response.status_code == 403
    assert response.json()["detail"]
    assert not SmsConversation.objects.exists() and not SmsMessage.objects.exists()


def test_a_signed_request_with_tampered_parameters_is_refused(client, city):
    params = {"MessageSid": new_sid(), "From": PHONE, "Body": "pothole"}
    signature = compute_signature(URL, params.items(), TOKEN)
    params["Body"] = "something else"
    response = client.post("/intake/sms/twilio", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 403


def test_a_signed_request_without_a_message_sid_is_bad_input(client, city):
    params = {"From": PHONE, "Body": "pothole"}
    signature = compute_signature(URL, params.items(), TOKEN)
    response = client.post("/intake/sms/twilio", params, HTTP_X_TWILIO_SIGNATURE=signature)
    assert response.status_code == 400
    assert "MessageSid" in response.json()["errors"]


# --- Conversations --------------------------------------------------------------------------


def test_an_english_conversation_files_a_case(client, city):
    _r, reply = text(client, "Hello")
    assert "What is the problem?" in reply
    _r, reply = text(client, "My neighbour's dog is barking all night")
    assert "Barking Dog" in reply and "Where is it?" in reply
    _r, reply = text(client, "1 Nowhere Lane")
    assert "couldn't find" in reply and "1 Nowhere Lane" in reply
    _r, reply = text(client, "3600 falls road")
    case = Case.objects.get()
    assert case.reference in reply
    assert f"http://testserver/cases/{case.reference}/" in reply
    assert case.channel == Channel.SMS
    assert case.service_type.code == "barking-dog"
    assert case.address_text == "3600 Falls Rd"
    assert case.contact_phone == PHONE
    assert case.description == "My neighbour's dog is barking all night"
    conversation = SmsConversation.objects.get()
    assert conversation.step == SmsStep.WHAT and conversation.language == "en"
    assert conversation.collected == {"last_case": case.reference}


def test_numbered_choices_then_a_description_when_the_first_message_is_short(client, city):
    _r, reply = text(client, "pothole")
    assert "Reply with its number" in reply
    assert "1 Pothole" in reply and "2 Pothole" in reply
    _r, reply = text(client, "7")
    assert "Reply with its number" in reply, "a number off the list asks again"
    _r, reply = text(client, "2")
    assert "Where is it?" in reply
    _r, reply = text(client, "It's at 3602 Falls Rd, by the bus stop")
    assert "describe the problem" in reply
    _r, reply = text(client, "Deep hole, about a foot wide, since Monday")
    case = Case.objects.get()
    assert case.address_text == "3602 Falls Rd"
    assert case.description == "pothole: Deep hole, about a foot wide, since Monday"
    assert case.reference in reply


def test_a_spanish_conversation_files_a_case_and_answers_in_spanish(client, city):
    _r, reply = text(client, "Hay un bache enorme en mi calle")
    conversation = SmsConversation.objects.get()
    assert conversation.language == "es"
    assert conversation.step == SmsStep.WHERE
    with translation.override("es"):
        got_it = _(
            "Got it: %(type)s. Where is it? Reply with the street number and name, "
            "like 100 Main St."
        )
    assert (
        got_it
        != "Got it: %(type)s. Where is it? Reply with the street number and name, like 100 Main St."
    )
    assert reply.startswith(got_it.split(":")[0])
    assert "Reparación de baches" in reply
    _r, reply = text(client, "3600 Falls Rd")
    case = Case.objects.get()
    assert case.service_type.code == "pothole-repair"
    assert case.description == "Hay un bache enorme en mi calle"
    with translation.override("es"):
        expected = _("Thank you. Your request number is %(reference)s.") % {
            "reference": case.reference
        }
    assert reply.startswith(expected)


def test_espanol_switches_the_language_and_repeats_the_question(client, city):
    text(client, "pothole")
    _r, reply = text(client, "ESPAÑOL")
    conversation = SmsConversation.objects.get()
    assert conversation.language == "es" and conversation.language_chosen
    assert conversation.step == SmsStep.CHOOSE, "switching language keeps the place"
    assert "Reparación de baches" in reply
    _r, _reply = text(client, "the first one please")  # English words no longer switch back
    assert SmsConversation.objects.get().language == "es"


def test_the_address_in_the_first_message_is_used(client, city):
    _r, reply = text(client, "Dog barking nonstop at 3600 Falls Rd")
    case = Case.objects.get()
    assert case.reference in reply and case.address_text == "3600 Falls Rd"


def test_cancel_starts_again(client, city):
    text(client, "My neighbour's dog is barking all night")
    _r, reply = text(client, "CANCEL")
    assert "Cancelled" in reply
    conversation = SmsConversation.objects.get()
    assert conversation.step == SmsStep.WHAT and conversation.collected == {}


def test_an_idle_conversation_starts_again(client, city):
    text(client, "My neighbour's dog is barking all night")
    SmsConversation.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    _r, reply = text(client, "3600 Falls Rd")
    assert not Case.objects.exists()
    assert "What is the problem?" in reply


# --- Retries --------------------------------------------------------------------------------


def test_a_retried_message_sid_gets_the_same_reply_and_moves_nothing(client, city):
    text(client, "My neighbour's dog is barking all night")
    sid = new_sid()
    _r, first = text(client, "3600 Falls Rd", sid=sid)
    _r, again = text(client, "3600 Falls Rd", sid=sid)
    assert first == again
    assert Case.objects.count() == 1
    assert SmsMessage.objects.filter(sid=sid).count() == 1
    assert SmsMessage.objects.get(sid=sid).case == Case.objects.get()
    # The retry did not count as a new "problem" text either.
    assert SmsConversation.objects.get().collected == {"last_case": Case.objects.get().reference}


def test_a_retry_mid_conversation_does_not_advance_twice(client, city):
    sid = new_sid()
    _r, first = text(client, "pothole", sid=sid)
    text(client, "1")
    _r, again = text(client, "pothole", sid=sid)
    assert again == first
    assert SmsConversation.objects.get().step == SmsStep.WHERE


# --- Carrier keywords and status ------------------------------------------------------------


def test_stop_confirms_once_then_nothing_until_start(client, city):
    text(client, "pothole")
    _r, reply = text(client, "STOP")
    assert "unsubscribed" in reply and "START" in reply
    conversation = SmsConversation.objects.get()
    assert conversation.opted_out_at is not None
    _r, reply = text(client, "My neighbour's dog is barking all night")
    assert reply is None, "no message at all after STOP"
    assert not Case.objects.exists()
    assert SmsConversation.objects.get().step == SmsStep.WHAT
    _r, reply = text(client, "HELP")
    assert "STOP" in reply and "911" in reply
    _r, reply = text(client, "Start")
    assert "What is the problem?" in reply
    assert SmsConversation.objects.get().opted_out_at is None


def test_status_answers_with_the_case_status(client, city):
    case, _created = submit_case(
        actor=None,
        service_code="barking-dog",
        description="Barking",
        channel=Channel.WEB,
        address_text="3600 Falls Rd",
    )
    _r, reply = text(client, f"status {case.reference}")
    assert case.reference in reply and "Barking Dog" in reply and "Received" in reply
    assert f"/cases/{case.reference}/" in reply
    _r, reply = text(client, "STATUS 2026-999999")
    assert "couldn't find" in reply
    _r, reply = text(client, "ESTADO")
    assert "STATUS" in reply


def test_replies_are_escaped_twiml(client, city):
    text(client, "My neighbour's dog is barking all night")
    _r, reply = text(client, "<b>Falls</b> & Main")
    assert '"<b>Falls</b> & Main"' in reply  # parsed back from escaped XML


def test_media_urls_are_kept_with_the_message(client, city):
    extra = {"NumMedia": "1", "MediaUrl0": "https://api.twilio.com/media/ME1"}
    text(client, "Dog barking nonstop at 3600 Falls Rd", extra=extra)
    message = SmsMessage.objects.get()
    assert message.media_urls == ["https://api.twilio.com/media/ME1"]
    assert message.case == Case.objects.get()


def test_odd_digits_and_nul_characters_get_a_reply_not_a_crash(client, city):
    _r, reply = text(client, "pothole")
    _r, reply = text(client, "\U00010a40")  # a digit to Python, not a number to us
    assert reply
    _r, reply = text(client, "CANCEL")
    _r, reply = text(client, "Hole\x00 in the road at 3600 Falls Rd please")
    assert reply and "\x00" not in str(SmsConversation.objects.get().collected)
