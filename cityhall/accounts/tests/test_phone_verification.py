"""Verifying a mobile number by texting a code from it; then texted requests join the account."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from cityhall.accounts import actions
from cityhall.accounts.models import PhoneVerification, User
from cityhall.cases.actions import submit_case
from cityhall.cases.models import Channel
from cityhall.intake.tests.test_sms import text
from cityhall.testing import make_request_type, make_resident

pytestmark = pytest.mark.django_db(transaction=True)


def test_code_from_the_page_texted_from_the_phone_verifies_it(client):
    resident = make_resident()
    client.force_login(resident)
    response = client.post(reverse("accounts:phone"), {"phone": "(410) 555-0123"})
    assert response.status_code == 200
    code = response.context["started"]["code"]
    assert f"VERIFY {code}" in response.content.decode()
    assert code not in PhoneVerification.objects.get().code_hash, "only a keyed hash is stored"

    _, reply = text(client, "VERIFY 000000" if code != "000000" else "VERIFY 111111")
    assert "not right" in reply
    _, reply = text(client, f"verify {code}")
    assert "verified" in reply
    resident.refresh_from_db()
    assert resident.phone == "+14105550123" and resident.phone_verified_at is not None


def test_a_texted_request_then_joins_the_account():
    make_request_type()
    resident = make_resident()
    phone, code = actions.start_phone_verification(actor=resident, phone="410 555 0123")
    assert actions.confirm_phone_by_text(phone=phone, code=code) == resident
    case, _ = submit_case(
        actor=None,
        service_code="pothole",
        description="Hole",
        channel=Channel.SMS,
        address_text="3600 Falls Rd",
        contact_phone="+1 410 555 0123",
    )
    assert case.requester == resident


def test_codes_expire_work_once_and_numbers_belong_to_one_account():
    first, second = make_resident(), make_resident()
    phone, code = actions.start_phone_verification(actor=first, phone="4105550123")
    PhoneVerification.objects.update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    assert actions.confirm_phone_by_text(phone=phone, code=code) is None
    phone, code = actions.start_phone_verification(actor=first, phone="4105550123")
    assert actions.confirm_phone_by_text(phone=phone, code=code) == first
    assert actions.confirm_phone_by_text(phone=phone, code=code) is None, "used once"
    phone, code = actions.start_phone_verification(actor=second, phone="4105550123")
    actions.confirm_phone_by_text(phone=phone, code=code)
    first.refresh_from_db()
    assert first.phone == "" and first.phone_verified_at is None
    assert User.objects.get(pk=second.pk).phone_verified_at is not None


@pytest.mark.parametrize("bad", ["", "12", "call me maybe"])
def test_bad_numbers_get_a_field_error(client, bad):
    client.force_login(make_resident())
    response = client.post(reverse("accounts:phone"), {"phone": bad})
    assert response.status_code == 400
    assert not PhoneVerification.objects.exists()


def test_anonymous_visitors_are_sent_to_sign_in(client):
    assert client.get(reverse("accounts:phone")).status_code == 302


@pytest.mark.browser
def test_the_phone_page_in_a_browser(page):
    from cityhall.testing import browser_sign_in

    make_resident("ana@example.org")
    browser_sign_in(page, "ana@example.org")
    page.goto("/account/phone/")
    page.axe.check(page)
    page.get_by_label("Mobile number").fill("410 555 0123")
    page.get_by_role("button", name="Get a code").click()
    page.axe.check(page)
    assert "VERIFY " in page.content() and "+1 410 555 0311" in page.content()
