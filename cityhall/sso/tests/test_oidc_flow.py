"""A standard OpenID Connect client library (Authlib) against the city's provider, over
HTTP: code flow with PKCE, ID token checked with our JWKS, userinfo, refresh, and the
standard errors for a reused code, a wrong verifier, an unregistered redirect URI and a
tampered token."""

from __future__ import annotations

import base64
import json
import re
import time
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import requests
from authlib.common.security import generate_token
from authlib.integrations.requests_client import OAuth2Session
from authlib.jose import JsonWebKey, jwt
from authlib.jose.errors import BadSignatureError

from cityhall.accounts.models import SavedAddress
from cityhall.sso.actions import create_client
from cityhall.sso.models import ConsentGrant
from cityhall.testing import make_address, make_resident

pytestmark = pytest.mark.django_db(transaction=True)
REDIRECT = "https://parking.example/callback"


@pytest.fixture
def provider(live_server, settings):
    settings.PUBLIC_BASE_URL = live_server.url
    discovery = requests.get(f"{live_server.url}/.well-known/openid-configuration", timeout=5)
    assert discovery.status_code == 200
    return discovery.json()


@pytest.fixture
def resident(client):
    person = make_resident("lina@example.org", phone="+14105550188")
    profile = person.profiles.get(is_primary=True)
    profile.name, profile.personas = "Lina Park", ["parent", "renter"]
    profile.save()
    SavedAddress.objects.create(profile=profile, address=make_address("3600 Falls Rd"))
    return person


def browser_for(client, user, *, with_mfa: bool = False) -> requests.Session:
    """A browser already signed in to City Hall (the Django session, over real HTTP)."""
    client.force_login(user)
    session = client.session
    now = time.time()
    records = [{"method": "password", "at": now}]
    if with_mfa:
        records.append({"method": "mfa", "type": "totp", "at": now})
    session["account_authentication_methods"] = records
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()
    browser = requests.Session()
    browser.cookies.set("sessionid", client.cookies["sessionid"].value)
    return browser


def consent(browser: requests.Session, url: str, *, grant: bool = True) -> str:
    page = browser.get(url, allow_redirects=False, timeout=5)
    if page.status_code == 302:
        return page.headers["Location"]
    assert page.status_code == 200, page.text[:500]
    form = {
        "csrfmiddlewaretoken": re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[
            1
        ],
        "request": unescape(re.search(r'name="request" value="([^"]+)"', page.text)[1]),
        "scopes": re.findall(r'name="scopes" value="([^"]+)"', page.text),
        "action": "grant" if grant else "cancel",
    }
    action = page.url.split("?")[0]
    answer = browser.post(
        action, data=form, allow_redirects=False, timeout=5, headers={"Referer": page.url}
    )
    assert answer.status_code == 302, answer.text[:500]
    return answer.headers["Location"]


def registered():
    client, secret = create_client(
        actor=None,
        name="City Parking",
        redirect_uris=[REDIRECT],
        post_logout_redirect_uris=["https://parking.example/"],
    )
    return client, secret


def authlib_session(client_id: str, secret: str, scope: str) -> OAuth2Session:
    return OAuth2Session(
        client_id, secret, scope=scope, redirect_uri=REDIRECT, code_challenge_method="S256"
    )


def test_authlib_completes_the_code_flow_and_verifies_the_id_token(provider, client, resident):
    app, secret = registered()
    oauth = authlib_session(app.pk, secret, "openid profile email phone address personas")
    verifier, nonce = generate_token(48), generate_token(16)
    url, state = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier, nonce=nonce
    )
    browser = browser_for(client, resident, with_mfa=True)
    back = consent(browser, url)
    assert back.startswith(REDIRECT) and parse_qs(urlparse(back).query)["state"] == [state]
    token = oauth.fetch_token(
        provider["token_endpoint"], authorization_response=back, code_verifier=verifier
    )
    jwks = JsonWebKey.import_key_set(requests.get(provider["jwks_uri"], timeout=5).json())
    claims = jwt.decode(
        token["id_token"],
        jwks,
        claims_options={
            "iss": {"essential": True, "value": provider["issuer"]},
            "aud": {"essential": True, "value": app.pk},
            "nonce": {"essential": True, "value": nonce},
        },
    )
    claims.validate()
    assert claims["sub"] == str(resident.pk)
    assert claims["email"] == "lina@example.org" and claims["name"] == "Lina Park"
    assert claims["personas"] == ["parent", "renter"]
    assert claims["acr"] == "mfa" and "mfa" in claims["amr"]  # MFA carries over
    info = oauth.get(provider["userinfo_endpoint"], timeout=5).json()
    assert info["address"]["street_address"] == "3600 Falls Rd"
    assert info["phone_number"] == "+14105550188"
    # Consent is remembered: the next sign-in goes straight back to the service.
    again_url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), nonce="n2"
    )
    assert browser.get(again_url, allow_redirects=False, timeout=5).status_code == 302
    refreshed = oauth.refresh_token(provider["token_endpoint"])
    assert refreshed["access_token"] != token["access_token"]
    assert jwt.decode(refreshed["id_token"], jwks)["acr"] == "mfa"


def test_reused_codes_and_wrong_verifiers_are_refused(provider, client, resident):
    app, secret = registered()
    oauth = authlib_session(app.pk, secret, "openid")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier
    )
    back = consent(browser_for(client, resident), url)
    code = parse_qs(urlparse(back).query)["code"][0]
    exchange = {"grant_type": "authorization_code", "code": code, "redirect_uri": REDIRECT}
    wrong = requests.post(
        provider["token_endpoint"],
        auth=(app.pk, secret),
        timeout=5,
        data={**exchange, "code_verifier": "x" * 50},
    )
    assert wrong.status_code == 400 and wrong.json()["error"] == "invalid_grant"
    url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier
    )
    code = parse_qs(urlparse(consent(browser_for(client, resident), url)).query)["code"][0]
    exchange = {**exchange, "code": code, "code_verifier": verifier}
    first = requests.post(
        provider["token_endpoint"], auth=(app.pk, secret), data=exchange, timeout=5
    )
    assert first.status_code == 200
    reused = requests.post(
        provider["token_endpoint"], auth=(app.pk, secret), data=exchange, timeout=5
    )
    assert reused.status_code == 400 and reused.json()["error"] == "invalid_grant"
    bad_secret = requests.post(
        provider["token_endpoint"], auth=(app.pk, "nope"), timeout=5, data=exchange
    )
    assert bad_secret.status_code == 401 and bad_secret.json()["error"] == "invalid_client"


def test_an_unregistered_redirect_uri_is_never_redirected_to(provider, client, resident):
    app, secret = registered()
    oauth = OAuth2Session(
        app.pk,
        secret,
        scope="openid",
        redirect_uri="https://evil.example/cb",
        code_challenge_method="S256",
    )
    url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48)
    )
    page = browser_for(client, resident).get(url, allow_redirects=False, timeout=5)
    assert page.status_code == 400
    assert "evil.example" not in page.headers.get("Location", "")


def test_a_tampered_id_token_fails_verification(provider, client, resident):
    app, secret = registered()
    oauth = authlib_session(app.pk, secret, "openid email")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier
    )
    back = consent(browser_for(client, resident), url)
    token = oauth.fetch_token(
        provider["token_endpoint"], authorization_response=back, code_verifier=verifier
    )
    header, payload, signature = token["id_token"].split(".")
    claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    claims["sub"] = "1"  # someone else
    forged_payload = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
    jwks = JsonWebKey.import_key_set(requests.get(provider["jwks_uri"], timeout=5).json())
    assert jwt.decode(token["id_token"], jwks)["sub"] == str(resident.pk)
    with pytest.raises(BadSignatureError):
        jwt.decode(".".join([header, forged_payload, signature]), jwks)


def test_silent_sign_in_never_skips_a_consent_never_given(provider, client, resident):
    app, secret = registered()
    oauth = authlib_session(app.pk, secret, "openid")
    url, state = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=generate_token(48), prompt="none"
    )
    answer = browser_for(client, resident).get(url, allow_redirects=False, timeout=5)
    query = parse_qs(urlparse(answer.headers["Location"]).query)
    assert query["error"] == ["consent_required"] and "code" not in query


def test_residents_see_and_revoke_what_they_share(provider, client, resident):
    app, secret = registered()
    oauth = authlib_session(app.pk, secret, "openid email")
    verifier = generate_token(48)
    url, _ = oauth.create_authorization_url(
        provider["authorization_endpoint"], code_verifier=verifier
    )
    back = consent(browser_for(client, resident), url)
    token = oauth.fetch_token(
        provider["token_endpoint"], authorization_response=back, code_verifier=verifier
    )
    page = client.get("/account/connected/")
    assert "City Parking" in page.content.decode()
    client.post("/account/connected/", {"client": app.pk})
    assert not ConsentGrant.objects.filter(user=resident).exists()
    userinfo = requests.get(
        provider["userinfo_endpoint"],
        timeout=5,
        headers={"Authorization": f"Bearer {token['access_token']}"},
    )
    assert userinfo.status_code == 401
    refresh = requests.post(
        provider["token_endpoint"],
        auth=(app.pk, secret),
        timeout=5,
        data={"grant_type": "refresh_token", "refresh_token": token["refresh_token"]},
    )
    assert refresh.status_code == 400 and refresh.json()["error"] == "invalid_grant"


def test_the_provider_publishes_its_keys_and_rotates_them(provider, settings):
    from django.core.management import call_command

    before = requests.get(provider["jwks_uri"], timeout=5).json()["keys"]
    call_command("oidc-key", "rotate", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = requests.get(provider["jwks_uri"], timeout=5).json()["keys"]
    assert len(after) == len(before) + 1  # the new key is published before it signs
    assert {k["kid"] for k in before} <= {k["kid"] for k in after}
