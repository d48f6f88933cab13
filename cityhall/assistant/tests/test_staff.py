"""The staff side: who sees the hand-off queue and transcripts (audited), replying in the same
thread (by text message when the resident texted), and the figures page."""

import json

import pytest
from django.test import Client

from cityhall.assistant import actions
from cityhall.assistant.models import (
    Conversation,
    ConversationStatus,
    DailyStat,
    Speaker,
    UnansweredQuestion,
    UnansweredStatus,
)
from cityhall.audit.models import AuditEvent
from cityhall.catalog.models import Article
from cityhall.notifications.models import Message
from cityhall.org.models import Role
from cityhall.testing import PASSWORD, make_department, make_resident, make_staff

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.login(username=user.email, password=PASSWORD)
    return client


def handed_off(text: str = "Can I talk to a person please?") -> Conversation:
    response = Client().post(
        "/api/v1/assistant/messages",
        data=json.dumps({"text": text}),
        content_type="application/json",
    )
    assert response.json()["reply"]["handoff"] is True
    return Conversation.objects.get(public_id=response.json()["conversation"])


@pytest.fixture
def people(assistant_city):
    department = make_department("customer-service", "311")
    return {
        "resident": make_resident("someone@example.org"),
        "caseworker": make_staff(Role.CASEWORKER, make_department("water", "Water")),
        "agent": make_staff(Role.AGENT, department),
        "supervisor": make_staff(Role.SUPERVISOR, department),
    }


@pytest.mark.parametrize(
    ("who", "queue", "conversation", "insights"),
    [
        ("anonymous", 302, 302, 302),
        ("resident", 404, 404, 404),
        ("caseworker", 404, 404, 404),
        ("agent", 200, 200, 404),
        ("supervisor", 200, 200, 200),
    ],
)
def test_who_may_open_the_staff_pages(people, who, queue, conversation, insights):
    client = Client() if who == "anonymous" else signed_in(people[who])
    handoff = handed_off()
    assert client.get("/staff/assistant/").status_code == queue
    assert client.get(f"/staff/assistant/{handoff.public_id}/").status_code == conversation
    assert client.get("/staff/assistant/insights/").status_code == insights


def test_an_agent_reads_the_transcript_and_the_read_is_audited(people):
    handoff = handed_off()
    page = signed_in(people["agent"]).get(f"/staff/assistant/{handoff.public_id}/")
    html = page.content.decode()
    assert "Can I talk to a person please?" in html
    assert "asked for a person" in html
    assert AuditEvent.objects.filter(
        action="assistant.conversation_read", actor=people["agent"], object_id=str(handoff.pk)
    ).exists()


def test_the_agents_reply_appears_in_the_residents_chat(people):
    client = Client()
    response = client.post("/assistant/", {"text": "I need to speak to a human"})
    assert response.status_code == 302
    conversation = Conversation.objects.get()
    assert conversation.status == ConversationStatus.WAITING
    answer = signed_in(people["agent"]).post(
        f"/staff/assistant/{conversation.public_id}/", {"text": "Hi, this is Sam from 311."}
    )
    assert answer.status_code == 302
    conversation.refresh_from_db()
    assert conversation.status == ConversationStatus.WITH_AGENT
    assert conversation.agent == people["agent"]
    assert "Hi, this is Sam from 311." in client.get("/assistant/").content.decode()
    # While a person has the thread, the assistant stays quiet.
    client.post("/assistant/", {"text": "thanks Sam, my question is about my water bill"})
    last = conversation.turns.order_by("-pk").first()
    assert last.speaker == Speaker.RESIDENT
    assert Message.objects.count() == 0  # a web conversation gets no text message


def test_an_empty_reply_is_refused_with_a_field_message(people):
    handoff = handed_off()
    response = signed_in(people["agent"]).post(
        f"/staff/assistant/{handoff.public_id}/", {"text": " "}
    )
    assert response.status_code == 200
    assert "Write a reply." in response.content.decode()
    assert handoff.turns.filter(speaker=Speaker.AGENT).count() == 0


def test_closing_ends_the_hand_off(people):
    handoff = handed_off()
    signed_in(people["agent"]).post(
        f"/staff/assistant/{handoff.public_id}/", {"text": "x", "close_only": "1"}
    )
    handoff.refresh_from_db()
    assert handoff.status == ConversationStatus.CLOSED
    assert handoff not in Conversation.objects.filter(status__in=["waiting", "with_agent"])


def test_counters_track_deflection_without_counting_conversations(people):
    Client().post(
        "/api/v1/assistant/messages",
        data=json.dumps({"text": "how do I pay a parking ticket"}),
        content_type="application/json",
    )
    handed_off()
    handed_off("what's the best pizza topping")
    stats = DailyStat.objects.get(channel="api")
    assert (stats.conversations, stats.handed_off, stats.answered) == (3, 2, 1)
    assert stats.unanswered == 1
    page = signed_in(people["supervisor"]).get("/staff/assistant/insights/").content.decode()
    assert "33%" in page
    assert "the best pizza topping" in page


def test_unanswered_questions_mask_personal_details():
    from cityhall.assistant.actions import _remember_unanswered

    _remember_unanswered("my email is ana@example.org and phone 410 555 0199", "en")
    question = UnansweredQuestion.objects.get()
    assert "ana@example.org" not in question.example
    assert "555" not in question.example


def test_a_supervisor_turns_a_question_into_a_draft_article(people):
    handed_off("what's the best pizza topping")
    question = UnansweredQuestion.objects.get()
    client = signed_in(people["supervisor"])
    response = client.post(
        f"/staff/assistant/questions/{question.pk}/",
        {"title_en": "Pizza", "title_es": "Pizza", "slug": "pizza"},
    )
    article = Article.objects.get(slug="pizza")
    assert response.status_code == 302 and response["Location"].endswith(
        f"/staff/catalog/article/{article.pk}/edit/"
    )
    assert article.is_published is False
    question.refresh_from_db()
    assert question.status == UnansweredStatus.ARTICLE and question.article == article
    assert client.get(response["Location"]).status_code == 200
    bad = client.post(
        f"/staff/assistant/questions/{question.pk}/",
        {"title_en": "", "title_es": "", "slug": "pizza"},
    )
    assert bad.status_code == 400


def test_an_agent_cannot_create_articles_or_dismiss(people):
    handed_off("what's the best pizza topping")
    question = UnansweredQuestion.objects.get()
    client = signed_in(people["agent"])
    assert (
        client.post(f"/staff/assistant/questions/{question.pk}/", {"dismiss": "1"}).status_code
        == 404
    )
    with pytest.raises(Exception):  # noqa: B017, PT011 - the action refuses as well
        actions.dismiss_question(actor=people["agent"], question=question)
    question.refresh_from_db()
    assert question.status == UnansweredStatus.OPEN


def test_deleting_an_account_deletes_its_conversations(people):
    from cityhall.assistant.actions import erase_personal_data

    resident = people["resident"]
    client = signed_in(resident)
    client.post("/assistant/", {"text": "hello"})
    assert Conversation.objects.filter(account=resident).count() == 1
    erase_personal_data(user=resident, email=resident.email, phone="")
    assert Conversation.objects.filter(account=resident).count() == 0
