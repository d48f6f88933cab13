"""Email intake through the real endpoint and command: new cases, threaded replies, asking
for the address, idempotent deliveries, bad input."""

import io
import itertools
import sys
from email.message import EmailMessage

import pytest
from django.core import mail
from django.core.management import call_command
from django.core.management.base import CommandError

from cityhall.cases.models import Case, CaseEvent, Channel, EventKind
from cityhall.intake.models import InboundEmail, OutboundEmail
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db(transaction=True)

SECRET = "test-intake-secret"  # settings_test.INTAKE_EMAIL_SECRET
_ids = itertools.count(1)


def raw_email(
    body,
    *,
    subject="Barking dog",
    sender="Ana Resident <ana@example.org>",
    message_id=None,
    in_reply_to=None,
    headers=None,
):
    message = EmailMessage()
    if sender:
        message["From"] = sender
    message["To"] = "311@cityhall.example"
    message["Subject"] = subject
    message["Message-ID"] = message_id or f"<msg{next(_ids)}@mail.example.org>"
    if in_reply_to:
        message["In-Reply-To"] = in_reply_to
        message["References"] = in_reply_to
    for name, value in (headers or {}).items():
        message[name] = value
    message.set_content(body)
    return message.as_bytes()


def deliver(client, raw, *, secret=SECRET):
    return client.post(
        "/intake/email/inbound",
        raw,
        content_type="message/rfc822",
        HTTP_X_INTAKE_SECRET=secret,
    )


def test_a_new_email_becomes_a_case_and_gets_a_threaded_confirmation(client, city, run_worker):
    raw = raw_email(
        "The dog next door barks all night, at 3600 Falls Rd.\n\n-- \nAna\n555-0100",
        message_id="<first@mail.example.org>",
    )
    response = deliver(client, raw)
    assert response.status_code == 201
    body = response.json()
    case = Case.objects.get()
    assert body == {"outcome": "created", "reference": case.reference, "duplicate": False}
    assert case.channel == Channel.EMAIL
    assert case.service_type.code == "barking-dog"
    assert case.address_text == "3600 Falls Rd"
    assert case.contact_email == "ana@example.org" and case.contact_name == "Ana Resident"
    assert "555-0100" not in case.description, "the signature is left out"
    assert not mail.outbox, "the confirmation goes out from the worker, after commit"
    run_worker()
    [sent] = mail.outbox
    stored = OutboundEmail.objects.get()
    assert sent.subject.startswith(f"[Ref {case.reference}]")
    assert sent.to == ["ana@example.org"]
    assert sent.extra_headers["Message-ID"] == stored.message_id
    assert sent.message()["Message-ID"] == stored.message_id
    assert sent.message()["In-Reply-To"] == "<first@mail.example.org>"
    assert f"http://testserver/cases/{case.reference}/" in sent.body
    assert stored.sent_at is not None
    run_worker()
    assert len(mail.outbox) == 1, "sent once"


def test_a_reply_is_threaded_onto_the_case(client, city, run_worker):
    deliver(client, raw_email("Barking dog at 3600 Falls Rd every night"))
    run_worker()
    case = Case.objects.get()
    ours = OutboundEmail.objects.get().message_id
    reply = raw_email(
        "Still barking tonight.\n\nOn Mon, 23 Nov 2026 at 22:00, City Hall "
        "<no-reply@cityhall.local> wrote:\n> We received your request.\n> Ref\n",
        subject=f"Re: [Ref {case.reference}] We received your request: Barking Dog",
        in_reply_to=ours,
    )
    response = deliver(client, reply)
    assert response.status_code == 200
    assert response.json() == {
        "outcome": "threaded",
        "reference": case.reference,
        "duplicate": False,
    }
    assert Case.objects.count() == 1
    message = CaseEvent.objects.get(case=case, kind=EventKind.MESSAGE)
    assert message.message == "Still barking tonight."
    assert not message.is_public


def test_the_reference_in_the_subject_threads_only_from_the_same_sender(client, city):
    deliver(client, raw_email("Barking dog at 3600 Falls Rd every night"))
    case = Case.objects.get()
    same = raw_email("One more thing: it is a big dog.", subject=f"[Ref {case.reference}]")
    assert deliver(client, same).json()["outcome"] == "threaded"
    other = raw_email(
        "My dog barks too at 3602 Falls Rd",
        subject=f"About [Ref {case.reference}]",
        sender="someone@example.net",
    )
    assert deliver(client, other).json()["outcome"] == "created"
    assert Case.objects.count() == 2


def test_the_same_message_delivered_twice_files_one_case(client, city, run_worker):
    raw = raw_email("Barking dog at 3600 Falls Rd every night")
    first = deliver(client, raw).json()
    again = deliver(client, raw)
    assert again.status_code == 200
    assert again.json() == first | {"duplicate": True}
    run_worker()
    assert Case.objects.count() == 1
    assert len(mail.outbox) == 1 and InboundEmail.objects.count() == 1


def test_without_an_address_we_ask_for_it_then_file_the_reply(client, city, run_worker):
    first = raw_email("A dog barks all night long in my street.")
    response = deliver(client, first)
    assert response.json()["outcome"] == "asked_address"
    assert not Case.objects.exists()
    run_worker()
    [question] = mail.outbox
    assert "street number and street name" in question.body
    asked = OutboundEmail.objects.get().message_id
    vague = raw_email("Near the park", subject="Re: Barking dog", in_reply_to=asked)
    assert deliver(client, vague).json()["outcome"] == "asked_address"
    run_worker()
    assert "still couldn't find" in mail.outbox[1].body
    answer = raw_email(
        "It's 3602 Falls Rd.\n\n> Where is it?", subject="Re: Barking dog", in_reply_to=asked
    )
    response = deliver(client, answer)
    assert response.status_code == 201
    case = Case.objects.get()
    assert case.address_text == "3602 Falls Rd"
    assert case.description == "Barking dog\n\nA dog barks all night long in my street."
    run_worker()
    assert mail.outbox[2].subject.startswith(f"[Ref {case.reference}]")


def test_an_email_nothing_fits_goes_to_the_general_type(client, city):
    raw = raw_email("Who do I talk to about 3600 Falls Rd?", subject="Hello")
    deliver(client, raw)
    assert Case.objects.get().service_type.code == "baltimore-ecc-miscellaneous-request"


def test_a_resident_with_that_verified_email_is_the_requester(client, city):
    resident = make_resident("ana@example.org")
    deliver(client, raw_email("Barking dog at 3600 Falls Rd every night"))
    assert Case.objects.get().requester == resident


def test_automatic_replies_are_ignored(client, city, run_worker):
    raw = raw_email(
        "I am out of the office. 3600 Falls Rd", headers={"Auto-Submitted": "auto-replied"}
    )
    assert deliver(client, raw).json()["outcome"] == "ignored"
    run_worker()
    assert not Case.objects.exists() and not mail.outbox


@pytest.mark.parametrize(
    ("raw", "field"),
    [
        (b"just some words, not an email", "message"),
        (raw_email("Barking dog at 3600 Falls Rd", sender=""), "from"),
        (raw_email("Barking dog at 3600 Falls Rd", sender="not an address"), "from"),
        (raw_email("x" * (1024 * 1024 + 10)), "message"),
        (b"", "message"),
    ],
    ids=["not-an-email", "no-from", "bad-from", "oversize", "empty"],
)
def test_bad_input_is_a_400_with_field_errors(client, city, raw, field):
    response = deliver(client, raw)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and field in body["errors"]
    assert not Case.objects.exists() and not InboundEmail.objects.exists()


@pytest.mark.parametrize("secret", ["", "wrong"])
def test_the_shared_secret_is_required(client, city, secret):
    response = deliver(client, raw_email("Barking dog at 3600 Falls Rd"), secret=secret)
    assert response.status_code == 403
    assert not Case.objects.exists()


def test_the_command_reads_one_message_from_stdin(city, monkeypatch, capsys, run_worker):
    raw = raw_email("Barking dog at 3600 Falls Rd every night")
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(raw)))
    call_command("intake-email", "--site-url", "https://city.example")
    case = Case.objects.get()
    assert capsys.readouterr().out.strip() == f"created {case.reference}"
    run_worker()
    assert f"https://city.example/cases/{case.reference}/" in mail.outbox[0].body
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"not an email")))
    with pytest.raises(CommandError) as error:
        call_command("intake-email")
    assert error.value.returncode == 65


def test_a_reply_from_someone_else_is_not_threaded(client, city, run_worker):
    deliver(client, raw_email("Barking dog at 3600 Falls Rd every night"))
    run_worker()
    case = Case.objects.get()
    ours = OutboundEmail.objects.get().message_id
    stranger = raw_email(
        "I was copied on this. The dog is fine.",
        subject="Re: Barking dog",
        sender="Someone Else <else@example.net>",
        in_reply_to=ours,
    )
    deliver(client, stranger)
    assert not CaseEvent.objects.filter(case=case, kind=EventKind.MESSAGE).exists()


def test_nul_characters_in_an_email_are_dropped(client, city):
    response = deliver(client, raw_email("Barking dog\x00 at 3600 Falls Rd every night"))
    assert response.status_code == 201
    assert "\x00" not in Case.objects.get().description
