"""City Parking against a small but real OIDC provider defined here.

The city's own provider is not ready yet, so these tests speak real HTTP to a stand-in that
checks what a strict provider would (Basic auth, PKCE, single-use codes, registered redirect
URIs) and signs RS256 ID tokens with a freshly generated key. No database is involved.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
import os
import secrets
import select
import socket
import socketserver
import subprocess
import sys
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.client import HTTPConnection
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

import jwt
import pytest
from cryptography.hazmat.primitives.asymmetric import rsa
from jwt.algorithms import RSAAlgorithm

from cityhall.demo.parking.app import build_server, make_app

CLIENT_ID = "city-parking"
CLIENT_SECRET = "parking-secret-123"


# --- A small OIDC provider ------------------------------------------------------------------


class _ThreadingServer(socketserver.ThreadingMixIn, WSGIServer):
    daemon_threads = True


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _run(app: Callable[..., Any]) -> tuple[WSGIServer, str]:
    server = make_server("127.0.0.1", 0, app, server_class=_ThreadingServer, handler_class=_Quiet)
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}"


class Provider:
    """Just enough of an OpenID Provider to sign residents in, strictly."""

    def __init__(self, key: rsa.RSAPrivateKey) -> None:
        self.issuer = ""
        self.key = key
        self.kid = "key-1"
        self.header_kid: str | None = None  # a kid the JWKS does not publish
        self.sign_with: rsa.RSAPrivateKey | None = None  # a different key: bad signature
        self.id_token_overrides: dict[str, Any] = {}
        self.deny = False
        self.redirect_uris: set[str] = set()
        self.userinfo_claims: dict[str, Any] = {
            "name": "Alex Rivera",
            "email": "alex@example.org",
            "email_verified": True,
            "address": {
                "street_address": "12 Harbour Street",
                "locality": "Springfield",
                "postal_code": "12345",
                "country": "US",
            },
        }
        self.sub = "resident-42"
        self.codes: dict[str, dict[str, str]] = {}
        self.access_tokens: set[str] = set()
        self.authorize_requests: list[dict[str, str]] = []
        self.token_requests: list[dict[str, str]] = []
        self.issued_id_tokens: list[str] = []
        self.end_session_requests: list[dict[str, str]] = []
        self.jwks_fetches = 0

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> list[bytes]:
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        query = dict(urllib.parse.parse_qsl(environ.get("QUERY_STRING", "")))
        routes = {
            ("GET", "/.well-known/openid-configuration"): self.discovery,
            ("GET", "/jwks"): self.jwks,
            ("GET", "/authorize"): self.authorize,
            ("POST", "/token"): self.token,
            ("GET", "/userinfo"): self.userinfo,
            ("GET", "/logout"): self.end_session,
        }
        handler = routes.get((method, path))
        if handler is None:
            status, headers, body = "404 Not Found", [], b""
        else:
            status, headers, body = handler(environ, query)
        start_response(status, headers)
        return [body]

    @staticmethod
    def _json(data: dict[str, Any], status: str = "200 OK") -> tuple[str, list, bytes]:
        return status, [("Content-Type", "application/json")], json.dumps(data).encode()

    def discovery(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        return self._json(
            {
                "issuer": self.issuer,
                "authorization_endpoint": f"{self.issuer}/authorize",
                "token_endpoint": f"{self.issuer}/token",
                "userinfo_endpoint": f"{self.issuer}/userinfo",
                "jwks_uri": f"{self.issuer}/jwks",
                "end_session_endpoint": f"{self.issuer}/logout",
                "response_types_supported": ["code"],
                "subject_types_supported": ["public"],
                "id_token_signing_alg_values_supported": ["RS256"],
                "code_challenge_methods_supported": ["S256"],
            }
        )

    def jwks(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        self.jwks_fetches += 1
        jwk = RSAAlgorithm.to_jwk(self.key.public_key(), as_dict=True)
        jwk.update(kid=self.kid, use="sig", alg="RS256")
        return self._json({"keys": [jwk]})

    def authorize(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        self.authorize_requests.append(query)
        if (
            query.get("client_id") != CLIENT_ID
            or query.get("redirect_uri") not in self.redirect_uris
        ):
            return "400 Bad Request", [], b"unknown client or redirect_uri"
        back = {"state": query.get("state", ""), "iss": self.issuer}
        if self.deny:
            back["error"] = "access_denied"
        elif query.get("response_type") != "code" or query.get("code_challenge_method") != "S256":
            back["error"] = "invalid_request"
        else:
            code = secrets.token_urlsafe(16)
            self.codes[code] = {
                "redirect_uri": query["redirect_uri"],
                "challenge": query["code_challenge"],
                "nonce": query["nonce"],
            }
            back["code"] = code
        location = f"{query['redirect_uri']}?{urllib.parse.urlencode(back)}"
        return "302 Found", [("Location", location)], b""

    def token(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        length = int(environ.get("CONTENT_LENGTH") or 0)
        form = dict(urllib.parse.parse_qsl(environ["wsgi.input"].read(length).decode()))
        self.token_requests.append(form)
        scheme, _, credentials = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        expected = base64.b64encode(f"{CLIENT_ID}:{CLIENT_SECRET}".encode()).decode()
        if scheme != "Basic" or credentials != expected:
            return self._json({"error": "invalid_client"}, "401 Unauthorized")
        if not environ.get("CONTENT_TYPE", "").startswith("application/x-www-form-urlencoded"):
            return self._json({"error": "invalid_request"}, "400 Bad Request")
        grant = self.codes.pop(form.get("code", ""), None)  # single use
        verifier = form.get("code_verifier", "")
        if (
            form.get("grant_type") != "authorization_code"
            or grant is None
            or form.get("redirect_uri") != grant["redirect_uri"]
            or _b64url(hashlib.sha256(verifier.encode()).digest()) != grant["challenge"]
        ):
            return self._json({"error": "invalid_grant"}, "400 Bad Request")
        access_token = secrets.token_urlsafe(24)
        self.access_tokens.add(access_token)
        now = int(time.time())
        claims = {
            "iss": self.issuer,
            "sub": self.sub,
            "aud": CLIENT_ID,
            "iat": now,
            "exp": now + 300,
            "nonce": grant["nonce"],
            "at_hash": _b64url(hashlib.sha256(access_token.encode()).digest()[:16]),
            "acr": "urn:cityhall:loa:2",
            "amr": ["pwd", "mfa"],
            "email": self.userinfo_claims.get("email"),
            **self.id_token_overrides,
        }
        id_token = jwt.encode(
            claims,
            self.sign_with or self.key,
            algorithm="RS256",
            headers={"kid": self.header_kid or self.kid},
        )
        self.issued_id_tokens.append(id_token)
        return self._json(
            {
                "access_token": access_token,
                "token_type": "Bearer",
                "expires_in": 300,
                "id_token": id_token,
            }
        )

    def userinfo(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        scheme, _, token = environ.get("HTTP_AUTHORIZATION", "").partition(" ")
        if scheme != "Bearer" or token not in self.access_tokens:
            return self._json({"error": "invalid_token"}, "401 Unauthorized")
        return self._json({"sub": self.sub, **self.userinfo_claims})

    def end_session(self, environ: dict, query: dict) -> tuple[str, list, bytes]:
        self.end_session_requests.append(query)
        return "200 OK", [("Content-Type", "text/plain")], b"Signed out of City Hall"


# --- A browser that follows redirects and keeps cookies --------------------------------------


@dataclass
class Page:
    url: str
    status: int
    headers: dict[str, str]
    set_cookies: list[str]
    text: str
    history: list[str] = field(default_factory=list)

    @property
    def location(self) -> str:
        return self.headers.get("location", "")


class Browser:
    def __init__(self) -> None:
        self.cookies: dict[str, dict[str, str]] = {}

    def request(self, method: str, url: str) -> Page:
        parts = urllib.parse.urlsplit(url)
        jar = self.cookies.setdefault(parts.netloc, {})
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in jar.items())} if jar else {}
        conn = HTTPConnection(parts.netloc, timeout=10)
        try:
            target = parts.path + (f"?{parts.query}" if parts.query else "")
            conn.request(
                method, target or "/", body=b"" if method == "POST" else None, headers=headers
            )
            response = conn.getresponse()
            body = response.read().decode()
            set_cookies = response.headers.get_all("Set-Cookie") or []
            page = Page(
                url,
                response.status,
                {k.lower(): v for k, v in response.getheaders()},
                set_cookies,
                body,
            )
        finally:
            conn.close()
        for cookie in set_cookies:
            name, _, rest = cookie.partition("=")
            value, *attributes = rest.split(";")
            if any(a.strip().lower() == "max-age=0" for a in attributes):
                jar.pop(name, None)
            else:
                jar[name] = value
        return page

    def visit(self, url: str, method: str = "GET") -> Page:
        history: list[str] = []
        page = self.request(method, url)
        while page.status in (301, 302, 303) and len(history) < 10:
            history.append(page.url)
            page = self.request("GET", urllib.parse.urljoin(page.url, page.location))
        page.history = history
        return page


# --- Fixtures --------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def keys() -> tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]:
    return (
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
        rsa.generate_private_key(public_exponent=65537, key_size=2048),
    )


@pytest.fixture
def provider(keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]) -> Iterator[Provider]:
    double = Provider(keys[0])
    server, double.issuer = _run(double)
    yield double
    server.shutdown()
    server.server_close()


@contextmanager
def running(make: Callable[[str], Any]) -> Iterator[str]:
    """Serve the app `make(public_url)` builds, on a free port, for the block's duration."""
    server = build_server("127.0.0.1", 0, lambda environ, start_response: [], quiet=True)
    url = f"http://127.0.0.1:{server.server_address[1]}"
    server.set_app(make(url))
    threading.Thread(target=server.serve_forever, args=(0.01,), daemon=True).start()
    try:
        yield url
    finally:
        server.shutdown()
        server.server_close()


def parking_app(provider: Provider, secret: str = CLIENT_SECRET) -> Callable[[str], Any]:
    """A City Parking app registered with the provider, built once its URL is known."""

    def make(url: str) -> Any:
        provider.redirect_uris.add(f"{url}/callback")
        return make_app(
            issuer=provider.issuer, client_id=CLIENT_ID, client_secret=secret, public_url=url
        )

    return make


@dataclass
class Parking:
    url: str


@pytest.fixture
def parking(provider: Provider) -> Iterator[Parking]:
    with running(parking_app(provider)) as url:
        yield Parking(url)


def callback_url(browser: Browser, parking: Parking) -> str:
    """Start signing in and stop where City Hall sends the resident back."""
    to_provider = browser.request("GET", f"{parking.url}/login")
    assert to_provider.status == 302
    back = browser.request("GET", to_provider.location)
    assert back.status == 302
    return back.location


def assert_refused(page: Page, message: str) -> None:
    assert page.status == 400
    assert html.escape(message) in page.text
    assert "Traceback" not in page.text
    assert "Signed in as" not in page.text


# --- Tests -----------------------------------------------------------------------------------


def test_signed_out_home_is_accessible_and_offers_city_hall_sign_in(parking: Parking) -> None:
    page = Browser().visit(f"{parking.url}/")
    assert page.status == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert '<html lang="en">' in page.text
    assert "<main>" in page.text and "<h1>City Parking</h1>" in page.text
    assert "Pay for parking and manage permits" in page.text
    assert 'href="/login">Sign in with City Hall</a>' in page.text
    assert "<script" not in page.text and "http" not in page.text.split("<body>")[1]
    assert "default-src 'none'" in page.headers["content-security-policy"]

    health = Browser().request("GET", f"{parking.url}/healthz")
    assert (health.status, json.loads(health.text)) == (200, {"ok": True})


def test_full_sign_in_shows_the_resident(provider: Provider, parking: Parking) -> None:
    browser = Browser()
    login = browser.request("GET", f"{parking.url}/login")
    (cookie,) = login.set_cookies
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = browser.visit(login.location)

    assert page.history[-1].startswith(f"{parking.url}/callback?")
    assert page.url == f"{parking.url}/" and page.status == 200
    assert "Signed in as Alex Rivera" in page.text
    assert "alex@example.org (verified)" in page.text
    assert "12 Harbour Street<br>Springfield 12345<br>US" in page.text
    assert "Signed in with two-step verification" in page.text
    assert "urn:cityhall:loa:2" in page.text and "pwd, mfa" in page.text
    assert '<form method="post" action="/logout">' in page.text and "Sign out" in page.text

    (authorize,) = provider.authorize_requests
    assert authorize["response_type"] == "code"
    assert authorize["scope"] == "openid profile email address"
    assert authorize["redirect_uri"] == f"{parking.url}/callback"
    assert authorize["code_challenge_method"] == "S256"
    assert len(authorize["state"]) >= 32 and len(authorize["nonce"]) >= 32
    (token_request,) = provider.token_requests
    assert token_request["grant_type"] == "authorization_code"
    assert "client_secret" not in token_request  # sent with HTTP Basic only

    # A fresh session id after sign-in (no fixation); the cookie holds nothing but that id.
    (session_id,) = browser.cookies[urllib.parse.urlsplit(parking.url).netloc].values()
    assert session_id not in cookie and "alex" not in session_id.lower()
    anonymous = Browser()
    anonymous.cookies = {k: {} for k in browser.cookies}
    assert "Sign in with City Hall" in anonymous.visit(f"{parking.url}/").text


def test_a_response_with_the_wrong_state_is_refused(provider: Provider, parking: Parking) -> None:
    browser = Browser()
    url = callback_url(browser, parking)
    forged = url.replace("state=", "state=x")
    assert_refused(browser.visit(forged), "does not match a sign-in started here")
    assert provider.token_requests == []

    stranger = Browser()  # someone else's browser, with no sign-in in progress
    assert_refused(stranger.visit(url), "Your sign-in session has expired")


@pytest.mark.parametrize(
    ("tamper", "message"),
    [
        ({"nonce": "replayed-nonce"}, "does not belong to this sign-in"),
        ({"aud": "another-department"}, "was not issued to City Parking"),
        ({"iss": "http://127.0.0.1:1"}, "was not issued by City Hall"),
        ({"exp": int(time.time()) - 3600}, "has expired"),
        ({"at_hash": "AAAAAAAAAAAAAAAAAAAAAA"}, "does not match the access token"),
        ("bad signature", "has a bad signature"),
    ],
)
def test_an_id_token_that_fails_verification_is_refused(
    provider: Provider,
    parking: Parking,
    keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey],
    tamper: dict[str, Any] | str,
    message: str,
) -> None:
    if isinstance(tamper, dict):
        provider.id_token_overrides = tamper
    else:
        provider.sign_with = keys[1]
    browser = Browser()
    assert_refused(browser.visit(f"{parking.url}/login"), message)
    assert provider.token_requests  # it got as far as the token, and then said no
    assert "Sign in with City Hall" in browser.visit(f"{parking.url}/").text


def test_declining_at_city_hall_shows_a_friendly_message(
    provider: Provider, parking: Parking
) -> None:
    provider.deny = True
    page = Browser().visit(f"{parking.url}/login")
    assert_refused(page, "You chose not to share your details with City Parking.")
    assert 'href="/login">Try signing in again</a>' in page.text
    assert provider.token_requests == []


def test_a_wrong_client_secret_is_reported_without_a_traceback(provider: Provider) -> None:
    with running(parking_app(provider, secret="not-the-secret")) as url:
        page = Browser().visit(f"{url}/login")
    assert_refused(page, "City Hall refused the token request (invalid_client).")


def test_an_unreachable_city_hall_gives_a_short_error() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        closed = f"http://127.0.0.1:{sock.getsockname()[1]}"

    def make(url: str) -> Any:
        return make_app(issuer=closed, client_id=CLIENT_ID, client_secret="x", public_url=url)

    with running(make) as url:
        page = Browser().visit(f"{url}/login")
    assert_refused(page, "City Hall could not be reached for the configuration.")


def test_rotated_signing_keys_are_refetched_once(
    provider: Provider, parking: Parking, keys: tuple[rsa.RSAPrivateKey, rsa.RSAPrivateKey]
) -> None:
    assert "Signed in as" in Browser().visit(f"{parking.url}/login").text
    assert provider.jwks_fetches == 1
    assert "Signed in as" in Browser().visit(f"{parking.url}/login").text
    assert provider.jwks_fetches == 1  # cached

    provider.key, provider.kid = keys[1], "key-2"
    assert "Signed in as" in Browser().visit(f"{parking.url}/login").text
    assert provider.jwks_fetches == 2

    provider.header_kid = "never-published"
    assert_refused(Browser().visit(f"{parking.url}/login"), "a key it does not publish")
    assert provider.jwks_fetches == 3


def test_sign_out_ends_the_city_hall_session_too(provider: Provider, parking: Parking) -> None:
    browser = Browser()
    assert "Signed in as" in browser.visit(f"{parking.url}/login").text

    response = browser.request("POST", f"{parking.url}/logout")
    assert response.status == 302
    assert response.location.startswith(f"{provider.issuer}/logout?")
    page = browser.visit(response.location)
    assert page.text == "Signed out of City Hall"
    assert provider.end_session_requests == [
        {
            "id_token_hint": provider.issued_id_tokens[-1],
            "post_logout_redirect_uri": f"{parking.url}/",
            "client_id": CLIENT_ID,
        }
    ]
    assert "Sign in with City Hall" in browser.visit(f"{parking.url}/").text
    assert browser.request("GET", f"{parking.url}/logout").status == 405


def test_signing_out_without_a_session_just_goes_home(parking: Parking) -> None:
    response = Browser().request("POST", f"{parking.url}/logout")
    assert (response.status, response.location) == (302, "/")


def test_claims_are_escaped(provider: Provider, parking: Parking) -> None:
    provider.userinfo_claims["name"] = "<script>alert(1)</script>"
    provider.userinfo_claims["address"] = {"formatted": '1 "Main" St <b>\nSpringfield'}
    page = Browser().visit(f"{parking.url}/login")
    assert "Signed in as &lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "1 &quot;Main&quot; St &lt;b&gt;<br>Springfield" in page.text
    assert "<script" not in page.text and "<b>" not in page.text


def test_the_command_serves_the_app_as_its_own_process(provider: Provider) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    provider.redirect_uris.add(f"http://127.0.0.1:{port}/callback")
    command = [sys.executable, "-m", "cityhall.cli", "parking_demo", "--port", str(port)]
    command += ["--issuer", provider.issuer, "--client-id", CLIENT_ID]
    env = {**os.environ, "DEBUG": "1", "PARKING_CLIENT_SECRET": CLIENT_SECRET}
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    try:
        assert process.stdout is not None
        ready, _, _ = select.select([process.stdout], [], [], 20)
        assert ready, "the command printed nothing"
        line = process.stdout.readline()
        assert line.startswith(f"City Parking listening on http://127.0.0.1:{port}/")
        page = Browser().visit(f"http://127.0.0.1:{port}/login")
        assert "Signed in as Alex Rivera" in page.text
    finally:
        process.terminate()
        process.wait(timeout=10)
