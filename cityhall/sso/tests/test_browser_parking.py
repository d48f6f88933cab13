"""A resident signs in to the demo City Parking app with their City Hall account: the
platform's sign-in, the consent screen once, and back to Parking, signed in."""

import threading

import pytest
from playwright.sync_api import expect

from cityhall.accounts.models import SavedAddress
from cityhall.demo.parking.app import build_server, make_app
from cityhall.sso.actions import create_client
from cityhall.testing import PASSWORD, make_address, make_resident

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def parking(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    holder = {}

    def app(environ, start_response):
        return holder["app"](environ, start_response)

    server = build_server("127.0.0.1", 0, app, quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    client, secret = create_client(
        actor=None,
        name="City Parking",
        redirect_uris=[f"{url}/callback"],
        post_logout_redirect_uris=[f"{url}/"],
    )
    holder["app"] = make_app(
        issuer=live_server.url, client_id=client.pk, client_secret=secret, public_url=url
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield url
    server.shutdown()


def test_sign_in_to_parking_with_the_city_hall_account(page, parking):
    resident = make_resident("omar@example.org")
    profile = resident.profiles.get(is_primary=True)
    profile.name = "Omar Haddad"
    profile.save()
    SavedAddress.objects.create(profile=profile, address=make_address("3600 Falls Rd"))

    page.goto(parking + "/")
    page.get_by_role("link", name="Sign in with City Hall").click()
    page.fill("input[name=login]", resident.email)
    page.fill("input[name=password]", PASSWORD)
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    expect(page.locator("body")).to_contain_text(
        "Sign in to City Parking with your City Hall account"
    )
    page.axe.check(page)
    page.get_by_role("button", name="Allow and continue").click()
    page.wait_for_url(parking + "/")
    expect(page.locator("body")).to_contain_text("Signed in as Omar Haddad")
    expect(page.locator("body")).to_contain_text("3600 Falls Rd")

    # Signed out of Parking and back in: City Hall does not ask again.
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_load_state()
    if page.get_by_role("button", name="Stay signed in").count():
        page.axe.check(page)
        page.get_by_role("button", name="Stay signed in").click()
    page.goto(parking + "/")
    page.get_by_role("link", name="Sign in with City Hall").click()
    page.wait_for_url(parking + "/")
    expect(page.locator("body")).to_contain_text("Signed in as Omar Haddad")
