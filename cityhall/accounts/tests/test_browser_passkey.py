"""A resident adds a passkey and signs in with it, using Chromium's virtual authenticator."""

import pytest
from allauth.mfa.models import Authenticator

from cityhall.testing import browser_sign_in, confirm_password_if_asked, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_add_a_passkey_then_sign_in_with_it(page):
    user = make_resident("passkey.fan@example.org")
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    cdp.send(
        "WebAuthn.addVirtualAuthenticator",
        {
            "options": {
                "protocol": "ctap2",
                "transport": "internal",
                "hasResidentKey": True,
                "hasUserVerification": True,
                "isUserVerified": True,
                "automaticPresenceSimulation": True,
            }
        },
    )
    browser_sign_in(page, "passkey.fan@example.org")
    page.goto("/accounts/2fa/webauthn/add/")
    confirm_password_if_asked(page)
    page.axe.check(page)
    page.fill("input[name=name]", "My phone")
    page.get_by_label("Passwordless").check()
    page.get_by_role("button", name="Add").click()
    page.wait_for_url(lambda url: "/webauthn/add/" not in url)
    page.axe.check(page)
    assert Authenticator.objects.filter(user=user, type="webauthn").count() == 1

    page.locator("header").get_by_role("button", name="Sign out").click()
    page.goto("/accounts/login/")
    page.get_by_role("button", name="Sign in with a passkey").click()
    page.wait_for_url(lambda url: "/accounts/login" not in url)
    page.goto("/account/")
    page.axe.check(page)
    assert page.get_by_role("heading", name="Household profiles").count() == 1
