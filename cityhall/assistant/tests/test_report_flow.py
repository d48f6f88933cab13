"""Filing a request through the web chat: type, place, description, an optional photo,
confirmation, then the request number."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

from cityhall.assistant.models import Conversation
from cityhall.cases.models import Case, Channel
from cityhall.testing import PASSWORD, make_resident

pytestmark = pytest.mark.django_db


def chat(client, text, **extra):
    response = client.post("/assistant/", {"text": text, **extra})
    assert response.status_code == 302
    return client.get("/assistant/").content.decode()


def photo() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), (90, 90, 90)).save(out, format="JPEG")
    return SimpleUploadedFile("hole.jpg", out.getvalue(), content_type="image/jpeg")


def test_a_resident_files_a_pothole_step_by_step_with_a_photo(assistant_city):
    resident = make_resident()
    client = Client()
    client.login(username=resident.email, password=PASSWORD)
    page = chat(client, "I want to report a pothole")
    assert "Most potholes are filled" in page  # the answer first, then the offer
    assert "reply “report”" in page
    page = chat(client, "report")
    assert "Where is it?" in page
    page = chat(client, "3600 Falls Road")
    assert "describe it" in page
    page = chat(client, "About a foot wide, cars swerve around it")
    assert "Shall I file this request?" in page and 'type="file"' in page
    page = chat(client, "yes", photo=photo())
    case = Case.objects.get()
    assert case.reference in page
    assert case.channel == Channel.WEB and case.requester == resident
    assert case.address_text == "3600 Falls Rd"
    assert case.description == "About a foot wide, cars swerve around it"
    assert case.photos.count() == 1
    conversation = Conversation.objects.get()
    assert conversation.state == {"last_case": case.reference}


def test_a_report_with_the_place_and_details_in_one_message_asks_only_to_confirm(assistant_city):
    client = Client()
    page = chat(client, "There is a deep pothole in front of 3600 Falls Rd, tyres are bursting")
    assert "Shall I file this request?" in page
    page = chat(client, "no")
    assert "Describe the problem again" in page
    page = chat(client, "A deep pothole in the left lane")
    page = chat(client, "yes")
    case = Case.objects.get()
    assert case.description == "A deep pothole in the left lane" and case.requester is None


def test_an_unknown_address_is_asked_again_and_cancel_stops(assistant_city):
    client = Client()
    chat(client, "I want to report a pothole")
    chat(client, "report")
    page = chat(client, "99999 Nowhere Lane")
    assert "find that address in the city" in page
    page = chat(client, "cancel")
    assert "I stopped that" in page
    assert Case.objects.count() == 0


def test_a_bad_photo_is_refused_and_nothing_is_filed(assistant_city):
    client = Client()
    chat(client, "There is a deep pothole in front of 3600 Falls Rd, tyres are bursting")
    fake = SimpleUploadedFile("x.jpg", b"not an image", content_type="image/jpeg")
    page = chat(client, "yes", photo=fake)
    assert "could not file that" in page
    assert Case.objects.count() == 0


def test_a_double_submitted_confirmation_files_one_request(assistant_city):
    client = Client()
    chat(client, "There is a deep pothole in front of 3600 Falls Rd, tyres are bursting")
    client.post("/assistant/", {"text": "yes", "client_key": "same"})
    client.post("/assistant/", {"text": "yes", "client_key": "same"})
    assert Case.objects.count() == 1


def test_an_empty_form_gets_a_field_message(assistant_city):
    response = Client().post("/assistant/", {"text": ""})
    assert response.status_code == 200
    assert "Type a message." in response.content.decode()
    assert Conversation.objects.count() == 0


def test_htmx_gets_just_the_chat(assistant_city):
    response = Client().post("/assistant/", {"text": "hello"}, HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div class="chat-body">')
    assert "Hello!" in html
