"""Templates (versions, preview, refused placeholders), reminders from data, delivery receipts
and the per-channel rate limit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.utils import timezone

from cityhall.intake.twilio import compute_signature
from cityhall.notifications import actions, delivery
from cityhall.notifications.models import Kind, Message, Reminder, Status, Template
from cityhall.notifications.tests.conftest import drain, set_profile
from cityhall.org.models import Role
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_saved_template_is_a_new_version_used_by_later_messages(deliverer, smtp_server):
    editor = make_staff(Role.SUPERVISOR)
    first = actions.save_template(
        actor=editor, kind=Kind.REMINDER, channel="email", language="en",
        subject="Don't forget: {{ title }}", body="{{ name }}, {{ title }} is due {{ due_date }}.",
    )  # fmt: skip
    second = actions.save_template(
        actor=editor, kind=Kind.REMINDER, channel="email", language="en",
        subject="Reminder: {{ title }}", body="{{ name }}, {{ title }} by {{ due_date }}.",
    )  # fmt: skip
    assert (first.version, second.version) == (1, 2)
    person = make_resident()
    set_profile(person, name="Lee")
    actions.queue_messages(
        user_ids=[person.pk], kind=Kind.REMINDER, dedupe="r1",
        values=lambda language: {"title": "Dog licence", "due_date": "Dec 1", "link": ""},
    )  # fmt: skip
    drain(deliverer)
    [email] = smtp_server.to(person.email)
    assert email["Subject"] == "Reminder: Dog licence"
    assert Message.objects.get(user=person, channel="email").template == second


def test_templates_with_unknown_placeholders_are_refused_at_save():
    editor = make_staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as refused:
        actions.save_template(actor=editor, kind=Kind.CASE_UPDATE, channel="email",
                              language="en", subject="{{ case_number }}",
                              body="Hi {{ first_name }}")  # fmt: skip
    assert "first_name" in refused.value.message_dict["body"][0]
    assert not Template.objects.exists()


def test_an_sms_template_must_fit_three_parts():
    editor = make_staff(Role.SUPERVISOR)
    with pytest.raises(ValidationError) as refused:
        actions.save_template(actor=editor, kind=Kind.REMINDER, channel="sms", language="en",
                              subject="", body="{{ title }} " + "x" * 600)  # fmt: skip
    assert "parts" in refused.value.message_dict["body"][0]


def test_residents_cannot_edit_templates():
    with pytest.raises(PermissionDenied):
        actions.save_template(actor=make_resident(), kind=Kind.REMINDER, channel="sms",
                              language="en", subject="", body="{{ title }}")  # fmt: skip


def test_the_template_page_previews_and_saves(client):
    editor = make_staff(Role.SUPERVISOR)
    client.force_login(editor)
    url = "/staff/notifications/templates/reminder/sms/es/"
    page = client.get(url)
    assert page.status_code == 200 and "Recordatorio" in page.content.decode()
    preview = client.post(url, {"action": "preview", "body": "{{ title }} vence {{ due_date }}"})
    assert "Dog licence renewal vence December 12, 2026" in preview.content.decode()
    assert not Template.objects.exists()
    bad = client.post(url, {"action": "save", "body": "Hola {{ nombre }}"})
    assert bad.status_code == 200 and "nombre" in bad.context["form"].errors["body"][0]
    saved = client.post(url, {"action": "save", "body": "{{ title }} vence {{ due_date }}"})
    assert saved.status_code == 302
    assert Template.objects.get().version == 1
    client.force_login(make_resident())
    assert client.get(url).status_code == 404
    assert client.get("/staff/notifications/templates/").status_code == 404


def test_reminders_come_from_a_csv_and_turn_into_messages_on_their_day(tmp_path, capsys):
    person = make_resident("owner@example.org")
    data = tmp_path / "licences.csv"
    data.write_text(
        "email,title,due_on,days_before,link,source_key\n"
        "owner@example.org,Dog licence renewal,2026-12-20,14,https://city.example/pets,pet-77\n"
        "nobody@example.org,Dog licence renewal,2026-12-20,14,,pet-78\n"
        "owner@example.org,Bill,20-12-2026,3,,bill-1\n"
    )
    call_command("import_reminders", str(data))
    call_command("import_reminders", str(data))  # again: nothing new
    out = capsys.readouterr()
    assert "1 reminders scheduled, 2 rows skipped" in out.out
    assert "line 3: no account with that email" in out.err and "nobody" not in out.err
    [reminder] = Reminder.objects.all()
    assert reminder.remind_on == dt.date(2026, 12, 6)
    assert actions.queue_due_reminders(today=dt.date(2026, 12, 5)) == 0
    assert actions.queue_due_reminders(today=dt.date(2026, 12, 6)) == 2  # email + inbox
    assert actions.queue_due_reminders(today=dt.date(2026, 12, 7)) == 0
    assert set(Message.objects.filter(user=person).values_list("kind", flat=True)) == {
        Kind.REMINDER
    }


def _signed_post(client, settings, data):
    url = "http://testserver/notifications/twilio/status"
    signature = compute_signature(url, list(data.items()), settings.TWILIO_AUTH_TOKEN)
    return client.post(url, data, HTTP_X_TWILIO_SIGNATURE=signature)


def test_delivery_receipts_settle_a_message_once(client, settings, deliverer, fake_twilio):
    person = make_resident()
    set_profile(person, notify_sms=True, notify_email=False, sms_phone="+14105550199")
    actions.queue_messages(
        user_ids=[person.pk], kind=Kind.REMINDER, dedupe="r2",
        values=lambda language: {"title": "Bill", "due_date": "Dec 1", "link": ""},
    )  # fmt: skip
    drain(deliverer)
    sms = Message.objects.get(user=person, channel="sms")
    assert sms.status == Status.SENT and sms.provider_ref.startswith("SM")
    receipt = {"MessageSid": sms.provider_ref, "MessageStatus": "delivered"}
    assert _signed_post(client, settings, receipt).status_code == 204
    assert _signed_post(client, settings, receipt).status_code == 204  # a repeat is harmless
    sms.refresh_from_db()
    assert sms.status == Status.DELIVERED and sms.delivered_at is not None
    late_failure = {"MessageSid": sms.provider_ref, "MessageStatus": "undelivered"}
    _signed_post(client, settings, late_failure)
    sms.refresh_from_db()
    assert sms.status == Status.DELIVERED  # out of order: delivered stays delivered


def test_receipts_need_twilios_signature_and_fields(client, settings):
    forged = client.post("/notifications/twilio/status", {"MessageSid": "SM1",
                         "MessageStatus": "delivered"}, HTTP_X_TWILIO_SIGNATURE="nope")  # fmt: skip
    assert forged.status_code == 403 and forged.json()["detail"]
    empty = _signed_post(client, settings, {"MessageStatus": "delivered"})
    assert empty.status_code == 400 and "MessageSid" in empty.json()["errors"]


def test_failed_messages_can_be_sent_again(deliverer, fake_twilio, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    person = make_resident()
    # The fake answers 503 the first time it sees a message to this number.
    set_profile(person, notify_sms=True, notify_email=False, notify_in_app=False,
                sms_phone="+15550011299")  # fmt: skip
    actions.queue_messages(
        user_ids=[person.pk], kind=Kind.REMINDER, dedupe="r3",
        values=lambda language: {"title": "Bill", "due_date": "Dec 1", "link": ""},
    )  # fmt: skip
    drain(deliverer)
    failed = Message.objects.get(user=person)
    assert failed.status == Status.FAILED and failed.failure_reason.startswith("gave up")
    assert actions.resend_failed(actor=make_staff(Role.SUPERVISOR)) == 1
    drain(deliverer)
    failed.refresh_from_db()
    assert failed.status == Status.SENT


def test_the_rate_limit_holds_back_what_is_over_it(deliverer, fake_twilio, settings):
    people = [make_resident() for _ in range(5)]
    for n, person in enumerate(people):
        set_profile(person, notify_sms=True, notify_email=False, notify_in_app=False,
                    sms_phone=f"+1410556{n:04d}")  # fmt: skip
    actions.queue_messages(
        user_ids=[p.pk for p in people], kind=Kind.REMINDER, dedupe="r4",
        values=lambda language: {"title": "Bill", "due_date": "Dec 1", "link": ""},
    )  # fmt: skip
    limited = delivery.Deliverer(providers=deliverer.providers)
    limited.rate = delivery.SlidingRate({"sms": 2})
    limited.run_once()
    assert len(fake_twilio.messages()) == 2
    waiting = Message.objects.filter(status=Status.QUEUED)
    assert waiting.count() == 3 and all(m.due_at > timezone.now() - dt.timedelta(seconds=1)
                                        for m in waiting)  # fmt: skip
