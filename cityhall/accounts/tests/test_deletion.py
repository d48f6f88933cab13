import datetime as dt

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import authenticate
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from cityhall.accounts import actions
from cityhall.accounts.models import DeletionRequest, DeletionStatus, Profile, User
from cityhall.audit.actions import record_read
from cityhall.audit.models import AuditEvent
from cityhall.org.models import Role
from cityhall.testing import PASSWORD, make_resident, make_staff

pytestmark = pytest.mark.django_db(transaction=True)


def _make_due(request: DeletionRequest) -> None:
    past = timezone.now() - dt.timedelta(seconds=1)
    DeletionRequest.objects.filter(pk=request.pk).update(scheduled_for=past)
    DBTaskResult.objects.update(run_after=past)


def test_request_schedules_a_task_after_the_grace_period(settings):
    user = make_resident()
    request = actions.request_deletion(actor=user)
    assert request.scheduled_for > timezone.now() + dt.timedelta(days=29)
    task = DBTaskResult.objects.get()
    assert task.run_after >= request.scheduled_for - dt.timedelta(seconds=5)
    assert actions.request_deletion(actor=user).pk == request.pk
    assert DBTaskResult.objects.count() == 1


def test_worker_anonymises_when_due_and_keeps_audit_rows(run_worker):
    user = make_resident("leaving@example.org")
    agent = make_staff(Role.AGENT)
    record_read(actor=agent, action="resident.record_viewed", summary="viewed", subject=user)
    request = actions.request_deletion(actor=user)
    run_worker()  # not due yet: nothing happens
    user.refresh_from_db()
    assert user.is_active and user.email == "leaving@example.org"

    _make_due(request)
    run_worker()
    user.refresh_from_db()
    assert not user.is_active
    assert user.email.endswith("@invalid.example")
    assert user.anonymised_at is not None
    assert not Profile.objects.filter(account=user).exists()
    assert not EmailAddress.objects.filter(user=user).exists()
    assert authenticate(email="leaving@example.org", password=PASSWORD) is None
    assert AuditEvent.objects.filter(subject_id=user.pk, action="resident.record_viewed").exists()
    assert DeletionRequest.objects.get(pk=request.pk).status == DeletionStatus.COMPLETED


def test_cancelled_request_is_not_carried_out(run_worker):
    user = make_resident()
    request = actions.request_deletion(actor=user)
    assert actions.cancel_deletion(actor=user)
    _make_due(request)
    run_worker()
    user.refresh_from_db()
    assert user.is_active and user.anonymised_at is None


def test_running_twice_does_nothing_twice():
    user = make_resident()
    request = actions.request_deletion(actor=user)
    _make_due(request)
    assert actions.anonymise_account(request_id=request.pk) is True
    assert actions.anonymise_account(request_id=request.pk) is False
    assert AuditEvent.objects.filter(action="account.anonymised").count() == 1


def test_pages_need_confirmation(client):
    user = make_resident()
    client.force_login(user)
    client.post(reverse("accounts:deletion_request"))
    assert not DeletionRequest.objects.exists()
    client.post(reverse("accounts:deletion_request"), {"confirm": "yes"})
    assert DeletionRequest.objects.filter(account=user, status="pending").exists()
    client.post(reverse("accounts:deletion_cancel"))
    assert DeletionRequest.objects.get().status == "cancelled"
    assert User.objects.get(pk=user.pk).is_active


def test_cases_and_conversations_forget_the_resident(run_worker):
    from cityhall.cases.actions import add_requester_message, submit_case
    from cityhall.cases.models import Case, CaseEvent, Channel
    from cityhall.intake.models import SmsConversation
    from cityhall.testing import make_request_type

    make_request_type()
    user = make_resident("leaving@example.org")
    phone, code = actions.start_phone_verification(actor=user, phone="4105550123")
    actions.confirm_phone_by_text(phone=phone, code=code)
    user.refresh_from_db()
    case, _ = submit_case(
        actor=user, service_code="pothole", description="Hole", channel=Channel.WEB,
        address_text="3600 Falls Rd", contact_phone=phone, contact_name="Ana",
    )  # fmt: skip
    add_requester_message(actor=user, case=case, text="My flat is number 4", channel="email")
    SmsConversation.objects.create(phone=phone, collected={"description": "by my house"})
    SmsConversation.objects.create(phone="+14105550999", collected={"x": "someone else"})

    _make_due(actions.request_deletion(actor=user))
    run_worker()
    case = Case.objects.get(pk=case.pk)
    assert (case.requester, case.contact_email, case.contact_phone, case.contact_name) == (
        None, "", "", ""
    )  # fmt: skip
    assert case.description == "Hole", "the city's record of the work stays"
    assert not CaseEvent.objects.filter(message__contains="flat").exists()
    assert list(SmsConversation.objects.values_list("phone", flat=True)) == ["+14105550999"]
