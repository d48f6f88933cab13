"""From a case update to the resident's mailbox and phone, through the real outbox, worker
and local providers."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.cases import actions as case_actions
from cityhall.cases.models import CaseStatus
from cityhall.intake.models import SmsConversation
from cityhall.notifications import actions, delivery
from cityhall.notifications.models import DailyCount, Kind, Lane, Message, Status
from cityhall.notifications.tests.conftest import drain, set_profile
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db(transaction=True)


def test_a_case_update_reaches_the_requester_by_email_and_sms_in_their_language(
    deliverer, smtp_server, fake_twilio, file_case, caseworker
):
    resident = make_resident("ana@example.org")
    set_profile(resident, name="Ana", language="es", notify_sms=True, sms_phone="4105550142")
    case = file_case(resident)
    case_actions.update_status(
        actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS, public_note="Crew on the way"
    )
    queued = Message.objects.filter(user=resident, kind=Kind.CASE_UPDATE)
    assert {m.channel for m in queued} == {"email", "sms", "inbox"}

    drain(deliverer)

    [email] = smtp_server.to("ana@example.org")
    assert email["Subject"] == f"Su solicitud {case.reference}: En curso"
    text = email.get_body(("plain",)).get_content()
    assert "Hola Ana" in text and "Crew on the way" in text
    assert f"https://city.example/cases/{case.reference}/" in text
    html = email.get_body(("html",)).get_content()
    assert 'lang="es"' in html
    assert email["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert email["List-Unsubscribe"].strip().startswith("<https://city.example/unsubscribe/")
    [sms] = [m for m in fake_twilio.messages() if m["to"] == "+14105550142"]
    assert sms["body"].startswith(f"Alcaldía: la solicitud {case.reference} (Bache) está En curso")
    assert set(queued.values_list("status", flat=True)) == {"sent", "delivered"}
    sent_today = DailyCount.objects.get(
        day=timezone.localdate(), channel="email", kind=Kind.CASE_UPDATE, outcome="sent"
    )
    assert sent_today.count == 1


def test_followers_hear_too_but_not_the_person_who_made_the_change(
    deliverer, smtp_server, file_case, caseworker
):
    requester, follower = make_resident(), make_resident()
    case = file_case(requester)
    case_actions.follow_case(actor=follower, case=case)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.RESOLVED)
    drain(deliverer)
    assert len(smtp_server.to(requester.email)) == 1
    assert len(smtp_server.to(follower.email)) == 1
    assert smtp_server.to(caseworker.email) == []


def test_the_same_event_never_writes_a_second_message(file_case, caseworker):
    resident = make_resident()
    case = file_case(resident)
    event = case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.SCHEDULED)
    before = Message.objects.count()
    assert actions.notify_case_event(event=event) == 0
    assert Message.objects.count() == before


def test_quiet_hours_defer_email_and_sms_but_not_the_inbox(file_case, caseworker, settings):
    resident = make_resident()
    set_profile(
        resident,
        notify_sms=True,
        sms_phone="+14105550143",
        quiet_hours_start=dt.time(0, 0),
        quiet_hours_end=dt.time(23, 59),
    )
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    now = timezone.now()
    by_channel = {m.channel: m for m in Message.objects.filter(user=resident)}
    assert by_channel["email"].due_at > now and by_channel["sms"].due_at > now
    assert timezone.localtime(by_channel["email"].due_at).time() == dt.time(23, 59)
    assert by_channel["inbox"].due_at <= now
    claimed = delivery.claim(Lane.TRANSACTIONAL, 100, "t", timezone.now())
    assert [c.channel for c in claimed] == ["inbox"]


def test_an_emergency_alert_overrides_quiet_hours_and_the_digest(
    deliverer, smtp_server, fake_twilio
):
    resident = make_resident()
    set_profile(
        resident,
        digest="daily",
        notify_email=False,  # even someone who turned email off hears about an emergency
        sms_phone="+14105550144",
        quiet_hours_start=dt.time(0, 0),
        quiet_hours_end=dt.time(23, 59),
    )
    actions.queue_messages(
        user_ids=[resident.pk],
        kind=Kind.EMERGENCY,
        values=lambda language: {"link": "https://city.example/alerts/1"},
        dedupe="alert:1",
    )
    messages = Message.objects.filter(user=resident)
    assert {m.status for m in messages} == {Status.QUEUED}
    assert {m.lane for m in messages} == {Lane.EMERGENCY}
    drain(deliverer)
    assert len(smtp_server.to(resident.email)) == 1
    assert [m["to"] for m in fake_twilio.messages()] == ["+14105550144"]


def test_a_daily_digest_holds_updates_and_sends_them_together(
    deliverer, smtp_server, file_case, caseworker
):
    resident = make_resident()
    set_profile(resident, digest="daily")
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.RESOLVED)
    drain(deliverer)
    assert smtp_server.to(resident.email) == []
    assert actions.release_digests(now=timezone.now() + dt.timedelta(seconds=1)) == 1
    drain(deliverer)
    [digest] = smtp_server.to(resident.email)
    assert "2 new" in digest["Subject"]
    assert Message.objects.filter(user=resident, status=Status.DIGESTED).count() == 2


def test_one_click_unsubscribe_is_honoured(client, deliverer, smtp_server, file_case, caseworker):
    resident = make_resident()
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    drain(deliverer)
    [email] = smtp_server.to(resident.email)
    url = email["List-Unsubscribe"].strip().strip("<>").replace("https://city.example", "")
    # A link scanner's GET changes nothing; the mail client's one-click POST does.
    assert client.get(url).status_code == 200
    response = client.post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.RESOLVED)
    drain(deliverer)
    assert len(smtp_server.to(resident.email)) == 1  # no second email
    assert Message.objects.filter(user=resident, channel="inbox").count() == 2  # inbox still


def test_a_forged_unsubscribe_token_is_refused(client):
    assert client.post("/unsubscribe/not-a-token/").status_code == 404


def test_texted_stop_suppresses_sms(deliverer, fake_twilio, file_case, caseworker):
    resident = make_resident()
    set_profile(resident, notify_sms=True, sms_phone="+14105550145")
    SmsConversation.objects.create(phone="+14105550145", opted_out_at=timezone.now())
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    drain(deliverer)
    assert fake_twilio.messages() == []
    sms = Message.objects.get(user=resident, channel="sms")
    assert sms.status == Status.SUPPRESSED and sms.failure_reason == "texted STOP"


def test_provider_errors_are_classified(deliverer, fake_twilio, file_case, caseworker):
    invalid, flaky = make_resident(), make_resident()
    set_profile(invalid, notify_sms=True, sms_phone="+15550001234")  # fake: 21211
    set_profile(flaky, notify_sms=True, sms_phone="+15550011234")  # fake: 503 once
    for person in (invalid, flaky):
        case = file_case(person)
        case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    drain(deliverer)
    failed = Message.objects.get(user=invalid, channel="sms")
    assert failed.status == Status.FAILED and failed.failure_reason
    retrying = Message.objects.get(user=flaky, channel="sms")
    assert retrying.status == Status.QUEUED and retrying.due_at > timezone.now()
    Message.objects.filter(pk=retrying.pk).update(due_at=timezone.now())
    drain(deliverer)
    retrying.refresh_from_db()
    assert retrying.status == Status.SENT and retrying.attempts == 2


def test_a_worker_that_dies_after_sending_loses_nothing_and_repeats_nothing(
    deliverer, fake_twilio, settings
):
    """Claim a batch, send half of it, die before recording anything; another worker
    settles the batch after the lease runs out."""
    people = [make_resident() for _ in range(6)]
    for n, person in enumerate(people):
        set_profile(person, notify_sms=True, notify_email=False, notify_in_app=False,
                    sms_phone=f"+1410555{n:04d}")  # fmt: skip
    actions.queue_messages(
        user_ids=[p.pk for p in people],
        kind=Kind.REMINDER,
        values=lambda language: {"title": "Dog licence", "due_date": "Dec 1", "link": ""},
        dedupe="reminder-test",
    )
    batch = delivery.claim(Lane.TRANSACTIONAL, 100, "dead-worker", timezone.now())
    assert len(batch) == 6
    for item in batch[:3]:  # handed to the provider, then the process was killed
        deliverer.providers["sms"].send(deliverer._outgoing(item))
    Message.objects.update(lease_until=timezone.now() - dt.timedelta(seconds=1))

    survivor = delivery.Deliverer(providers=deliverer.providers)
    assert survivor.recover() == 6
    drain(survivor)

    sent_to = [m["to"] for m in fake_twilio.messages()]
    assert sorted(sent_to) == sorted(f"+1410555{n:04d}" for n in range(6))  # once each
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}


def test_a_lost_lease_cannot_overwrite_another_workers_outcome(deliverer):
    person = make_resident()
    actions.queue_messages(
        user_ids=[person.pk],
        kind=Kind.REMINDER,
        values=lambda language: {"title": "Bill", "due_date": "Dec 1", "link": ""},
        dedupe="lease-test",
    )
    item = delivery.claim(Lane.TRANSACTIONAL, 10, "slow", timezone.now())[0]
    Message.objects.filter(pk=item.id).update(lease_token="someone-else")
    delivery._update_many(
        "status = 'failed', failure_reason = v.reason", ["id", "reason"],
        [(item.id, "late")], "slow", [],
    )  # fmt: skip
    assert Message.objects.get(pk=item.id).status == Status.SENDING


def test_bad_contacts_fail_one_message_each_and_the_rest_go_out(
    deliverer, smtp_server, fake_twilio
):
    broken, fine = make_resident(), make_resident()
    set_profile(broken, notify_sms=True, sms_phone="12")  # not a phone number
    type(broken).objects.filter(pk=broken.pk).update(email="not-an-address")
    set_profile(fine, notify_sms=True, sms_phone="+14105550177")
    actions.queue_messages(
        user_ids=[broken.pk, fine.pk], kind=Kind.REMINDER, dedupe="bad-contacts",
        values=lambda language: {"title": "Bill", "due_date": "Dec 1", "link": ""},
    )  # fmt: skip
    drain(deliverer)
    reasons = dict(
        Message.objects.filter(user=broken).exclude(channel="inbox")
        .values_list("channel", "failure_reason")
    )  # fmt: skip
    assert reasons == {"email": "invalid email address", "sms": "invalid phone number"}
    assert len(smtp_server.to(fine.email)) == 1
    assert [m["to"] for m in fake_twilio.messages()] == ["+14105550177"]


def test_deleting_an_account_cancels_its_messages_and_keeps_no_contact(file_case, caseworker):
    from cityhall.accounts.actions import anonymise_account, request_deletion

    resident = make_resident()
    set_profile(resident, notify_sms=True, sms_phone="+14105550166")
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    deletion = request_deletion(actor=resident)
    type(deletion).objects.filter(pk=deletion.pk).update(scheduled_for=timezone.now())
    assert anonymise_account(request_id=deletion.pk)
    left = Message.objects.filter(user=resident)
    assert set(left.values_list("status", flat=True)) == {Status.CANCELLED}
    assert set(left.values_list("to", flat=True)) == {""}
    assert set(left.values_list("body", flat=True)) == {""}


def test_old_messages_forget_their_contents_but_keep_their_counts(file_case, caseworker):
    resident = make_resident()
    case = file_case(resident)
    case_actions.update_status(actor=caseworker, case=case, status=CaseStatus.IN_PROGRESS)
    Message.objects.filter(user=resident, channel="email").update(status=Status.SENT)
    later = timezone.now() + dt.timedelta(days=91)
    assert actions.forget_old_contents(now=later) == 1
    email = Message.objects.get(user=resident, channel="email")
    assert (email.to, email.body, email.subject) == ("", "", "") and email.status == Status.SENT
    inbox = Message.objects.get(user=resident, channel="inbox")
    assert inbox.body  # the resident's own inbox stays readable


def test_leaving_the_digest_by_email_stops_every_kind_by_email(client):
    resident = make_resident()
    token = actions.unsubscribe_token(resident.pk, "kind:digest:email")
    assert client.post(f"/unsubscribe/{token}/").status_code == 200
    from cityhall.notifications.queries import channel_choices

    choices = channel_choices(resident)
    assert all(not c["email"] and c["inbox"] for c in choices.values())
