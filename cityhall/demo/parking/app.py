"""City Parking: a tiny department app that signs residents in through City Hall (OIDC).

It is deliberately separate from the Django project (plain WSGI, standard library plus PyJWT
and cryptography) so it shows exactly what any department's own app must do to use the city
platform for single sign-on: discovery, authorization code flow with PKCE, ID token checks,
userinfo and RP-initiated logout.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import secrets
import socketserver
import sys
import threading
import time
import traceback
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server
from wsgiref.types import StartResponse, WSGIApplication, WSGIEnvironment

import jwt

DEFAULT_SCOPES = "openid profile email address"
COOKIE_NAME = "city_parking_session"
HTTP_TIMEOUT = 10.0
MAX_RESPONSE_BYTES = 1024 * 1024
DISCOVERY_TTL = 3600.0
LOGIN_TTL = 600.0
SESSION_TTL = 8 * 3600.0
MAX_SESSIONS = 10_000
MAX_PENDING_LOGINS = 5
CLOCK_LEEWAY = 60
# Only asymmetric algorithms: the key comes from the provider's JWKS, never the client secret.
ID_TOKEN_ALGORITHMS = (
    "RS256",
    "RS384",
    "RS512",
    "PS256",
    "PS384",
    "PS512",
    "ES256",
    "ES384",
    "ES512",
    "EdDSA",
)
# Claims that describe the token itself rather than the person; not worth keeping.
TOKEN_ONLY_CLAIMS = frozenset({"iss", "aud", "exp", "iat", "nbf", "nonce", "at_hash", "azp", "jti"})

_SIGN_IN_AGAIN = "City Hall needs you to sign in again before City Parking can continue."
PROVIDER_ERRORS = {
    "access_denied": "You chose not to share your details with City Parking.",
    "login_required": _SIGN_IN_AGAIN,
    "interaction_required": _SIGN_IN_AGAIN,
    "consent_required": "City Parking needs your permission on City Hall before it can continue.",
    "temporarily_unavailable": "City Hall sign-in is busy right now. Please try again shortly.",
    "server_error": "City Hall sign-in had a problem. Please try again shortly.",
}

WSGIResponse = Iterable[bytes]


class SignInError(Exception):
    """A sign-in problem whose message is safe and useful to show the resident."""


def _b64url(data: bytes) -> str:
    """Base64url without padding, as PKCE and at_hash require."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def pkce_challenge(verifier: str) -> str:
    """S256 code challenge, so a stolen authorization code is useless without the verifier."""
    return _b64url(hashlib.sha256(verifier.encode("ascii")).digest())


def _normalise_base_url(url: str, what: str) -> str:
    """Refuse anything but an absolute http(s) URL early, at start-up rather than at sign-in."""
    parts = urllib.parse.urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"{what} must be an absolute http(s) URL, got {url!r}")
    if parts.query or parts.fragment:
        raise ValueError(f"{what} must not have a query or fragment, got {url!r}")
    return url.strip().rstrip("/")


def _with_query(url: str, params: Mapping[str, str]) -> str:
    """Add parameters to an endpoint URL that may already carry a query string."""
    separator = "&" if urllib.parse.urlsplit(url).query else "?"
    return url + separator + urllib.parse.urlencode(params)


# --- Talking to the provider -----------------------------------------------------------------


def _fetch_json(
    url: str,
    *,
    what: str,
    data: bytes | None = None,
    headers: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """One HTTP call to the provider; every failure becomes a short SignInError."""
    if urllib.parse.urlsplit(url).scheme not in ("http", "https"):
        raise SignInError(f"City Hall gave an unusable {what} address.")
    request = urllib.request.Request(  # noqa: S310 (scheme checked just above)
        url, data=data, headers={"Accept": "application/json"}
    )
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        code = _oauth_error_code(exc)
        detail = f" ({code})" if code else f" (HTTP {exc.code})"
        raise SignInError(f"City Hall refused the {what} request{detail}.") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise SignInError(f"City Hall could not be reached for the {what}.") from exc
    if len(body) > MAX_RESPONSE_BYTES:
        raise SignInError(f"City Hall sent an oversized {what} response.")
    try:
        payload = json.loads(body)
    except ValueError as exc:
        raise SignInError(f"City Hall sent an unreadable {what} response.") from exc
    if not isinstance(payload, dict):
        raise SignInError(f"City Hall sent an unreadable {what} response.")
    return payload


def _oauth_error_code(exc: urllib.error.HTTPError) -> str | None:
    """The OAuth `error` code from an error body, when the provider sent one."""
    try:
        payload = json.loads(exc.read(MAX_RESPONSE_BYTES))
    except (ValueError, OSError):
        return None
    code = payload.get("error") if isinstance(payload, dict) else None
    return code if isinstance(code, str) and code.isascii() and len(code) < 64 else None


def _at_hash(access_token: str, algorithm: str) -> str:
    """The at_hash an ID token must carry for this access token (OIDC Core 3.1.3.6)."""
    bits = "512" if algorithm == "EdDSA" else algorithm[-3:]
    digest = hashlib.new(f"sha{bits}", access_token.encode("ascii")).digest()
    return _b64url(digest[: len(digest) // 2])


class Provider:
    """What City Parking knows about City Hall: discovery and keys, cached in memory."""

    def __init__(self, issuer: str, client_id: str, client_secret: str) -> None:
        self.issuer = issuer
        self.client_id = client_id
        self.client_secret = client_secret
        self._lock = threading.Lock()
        self._discovery: dict[str, Any] | None = None
        self._discovery_at = 0.0
        self._jwks: list[dict[str, Any]] | None = None

    def discovery(self) -> dict[str, Any]:
        """The provider metadata, fetched once an hour rather than on every sign-in."""
        with self._lock:
            cached, fetched_at = self._discovery, self._discovery_at
        if cached is not None and time.monotonic() - fetched_at < DISCOVERY_TTL:
            return cached
        document = _fetch_json(
            f"{self.issuer}/.well-known/openid-configuration", what="configuration"
        )
        # OIDC Discovery 4.3: the document must be about the issuer we were told to trust.
        if str(document.get("issuer", "")).rstrip("/") != self.issuer:
            raise SignInError("City Hall's configuration names a different issuer.")
        for key in ("authorization_endpoint", "token_endpoint", "jwks_uri"):
            if not isinstance(document.get(key), str):
                raise SignInError(f"City Hall's configuration has no {key}.")
        with self._lock:
            self._discovery, self._discovery_at = document, time.monotonic()
        return document

    def cached_discovery(self) -> dict[str, Any] | None:
        """Discovery without a network call, for sign-out which must never get stuck."""
        with self._lock:
            return self._discovery

    def _keys(self, *, refresh: bool) -> list[dict[str, Any]]:
        """The provider's signing keys; refreshed on demand when it has rotated them."""
        with self._lock:
            cached = self._jwks
        if cached is not None and not refresh:
            return cached
        document = _fetch_json(self.discovery()["jwks_uri"], what="signing keys")
        keys = document.get("keys")
        if not isinstance(keys, list):
            raise SignInError("City Hall published no signing keys.")
        usable = [k for k in keys if isinstance(k, dict) and k.get("use", "sig") == "sig"]
        with self._lock:
            self._jwks = usable
        return usable

    def _signing_key(self, kid: str | None, algorithm: str) -> jwt.PyJWK:
        """Pick the key by kid, refetching the JWKS once in case the provider rotated keys."""
        for refresh in (False, True):
            keys = self._keys(refresh=refresh)
            if kid is not None:
                matches = [k for k in keys if k.get("kid") == kid]
            else:
                matches = keys if len(keys) == 1 else []
            if matches:
                try:
                    return jwt.PyJWK(matches[0], algorithm=matches[0].get("alg", algorithm))
                except jwt.PyJWTError as exc:
                    raise SignInError("City Hall's signing key could not be used.") from exc
        raise SignInError("City Hall signed the sign-in with a key it does not publish.")

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str) -> dict[str, Any]:
        """Swap the one-time code for tokens, proving who we are with HTTP Basic."""
        # allauth's IdP (like most) decodes Basic credentials without form-unescaping them.
        credentials = f"{self.client_id}:{self.client_secret}".encode()
        body = urllib.parse.urlencode(
            {
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": redirect_uri,
                "code_verifier": code_verifier,
            }
        ).encode("ascii")
        tokens = _fetch_json(
            self.discovery()["token_endpoint"],
            what="token",
            data=body,
            headers={
                "Content-Type": "application/x-www-form-urlencoded",
                "Authorization": "Basic " + base64.b64encode(credentials).decode("ascii"),
            },
        )
        if str(tokens.get("token_type", "")).lower() != "bearer":
            raise SignInError("City Hall sent an unexpected kind of access token.")
        for key in ("access_token", "id_token"):
            if not isinstance(tokens.get(key), str):
                raise SignInError(f"City Hall's token response has no {key}.")
        return tokens

    def verify_id_token(self, id_token: str, *, nonce: str, access_token: str) -> dict[str, Any]:
        """Check signature, issuer, audience, expiry and nonce before trusting anything in it."""
        try:
            header = jwt.get_unverified_header(id_token)
        except jwt.PyJWTError as exc:
            raise SignInError("City Hall's sign-in token is malformed.") from exc
        algorithm = header.get("alg")
        if algorithm not in ID_TOKEN_ALGORITHMS:
            raise SignInError("City Hall's sign-in token uses an algorithm we do not accept.")
        kid = header.get("kid")
        key = self._signing_key(kid if isinstance(kid, str) else None, algorithm)
        try:
            claims = jwt.decode(
                id_token,
                key=key,
                algorithms=[algorithm],
                audience=self.client_id,
                issuer=self.discovery()["issuer"],
                leeway=CLOCK_LEEWAY,
                options={"require": ["iss", "sub", "aud", "exp", "iat"]},
            )
        except jwt.InvalidSignatureError as exc:
            raise SignInError("City Hall's sign-in token has a bad signature.") from exc
        except jwt.InvalidAudienceError as exc:
            raise SignInError("The sign-in token was not issued to City Parking.") from exc
        except jwt.InvalidIssuerError as exc:
            raise SignInError("The sign-in token was not issued by City Hall.") from exc
        except jwt.ExpiredSignatureError as exc:
            raise SignInError("The sign-in token has expired. Please try again.") from exc
        except jwt.PyJWTError as exc:
            raise SignInError("City Hall's sign-in token could not be verified.") from exc
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.client_id:
            raise SignInError("The sign-in token was not issued to City Parking.")
        token_nonce = claims.get("nonce")
        if not isinstance(token_nonce, str) or not secrets.compare_digest(token_nonce, nonce):
            raise SignInError("The sign-in token does not belong to this sign-in.")
        at_hash = claims.get("at_hash")
        if at_hash is not None and not secrets.compare_digest(
            str(at_hash), _at_hash(access_token, algorithm)
        ):
            raise SignInError("The sign-in token does not match the access token.")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise SignInError("The sign-in token does not say who you are.")
        return claims

    def userinfo(self, access_token: str, *, sub: str) -> dict[str, Any]:
        """Extra profile claims; must describe the same person as the ID token."""
        endpoint = self.discovery().get("userinfo_endpoint")
        if not isinstance(endpoint, str):
            return {}
        info = _fetch_json(
            endpoint, what="profile", headers={"Authorization": f"Bearer {access_token}"}
        )
        if info.get("sub") != sub:
            raise SignInError("City Hall's profile is for a different person.")
        return info


# --- Sessions --------------------------------------------------------------------------------


@dataclass
class PendingLogin:
    """What we must remember between sending someone to City Hall and their return."""

    nonce: str
    code_verifier: str
    started: float = field(default_factory=time.monotonic)


@dataclass
class Session:
    """Server-side session: the cookie holds only a random id, never claims or tokens."""

    touched: float = field(default_factory=time.monotonic)
    pending: dict[str, PendingLogin] = field(default_factory=dict)
    user: dict[str, Any] | None = None
    id_token: str | None = None


class SessionStore:
    """In-memory sessions, bounded so anonymous traffic cannot exhaust memory."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sessions: dict[str, Session] = {}

    def get(self, session_id: str | None) -> Session | None:
        """The live session for a cookie value; idle sessions quietly expire."""
        if not session_id:
            return None
        now = time.monotonic()
        with self._lock:
            session = self._sessions.get(session_id)
            if session is None:
                return None
            if now - session.touched > SESSION_TTL:
                del self._sessions[session_id]
                return None
            session.touched = now
            return session

    def create(self, session: Session | None = None) -> str:
        """Store a session under a new unguessable id, evicting the stalest when full."""
        session_id = secrets.token_urlsafe(32)
        with self._lock:
            if len(self._sessions) >= MAX_SESSIONS:
                oldest = min(self._sessions, key=lambda sid: self._sessions[sid].touched)
                del self._sessions[oldest]
            self._sessions[session_id] = session or Session()
        return session_id

    def delete(self, session_id: str | None) -> None:
        """Forget a session, e.g. on sign-out or when rotating its id."""
        if session_id:
            with self._lock:
                self._sessions.pop(session_id, None)


# --- HTTP plumbing ---------------------------------------------------------------------------


@dataclass
class Response:
    """A finished response, so handlers stay plain functions of the request."""

    status: str
    body: bytes = b""
    headers: list[tuple[str, str]] = field(default_factory=list)


def _single(query: dict[str, list[str]], name: str) -> str | None:
    """A query parameter that must appear exactly once (RFC 6749 3.1)."""
    values = query.get(name, [])
    return values[0] if len(values) == 1 else None


def _cookie(environ: WSGIEnvironment, name: str) -> str | None:
    """Read one cookie by hand: SimpleCookie gives up on other apps' odd cookies."""
    for part in environ.get("HTTP_COOKIE", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name and value:
            return value
    return None


_STYLE = """
body{margin:0;font:1.125rem/1.5 system-ui,sans-serif;color:#1b1b1b;background:#fff}
header{background:#0b3d66;color:#fff;padding:.75rem 1.5rem}
header p{margin:0;font-weight:600}
main{max-width:40rem;margin:0 auto;padding:1.5rem}
h1{font-size:2rem;margin:.5rem 0 1rem}
h2{font-size:1.375rem;margin:1.5rem 0 .5rem}
a{color:#0b4f8a}
.button{display:inline-block;border:0;border-radius:.375rem;background:#0b4f8a;color:#fff;
font:inherit;font-weight:600;padding:.625rem 1.25rem;text-decoration:none;cursor:pointer}
.button:hover{background:#083a66}
a:focus-visible,.button:focus-visible{outline:3px solid #b35c00;outline-offset:3px}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem 1rem}
dt{font-weight:600}dd{margin:0}
.problem{border-left:.375rem solid #a4262c;padding:.25rem 1rem;background:#fdf3f4}
"""
_STYLE_HASH = base64.b64encode(hashlib.sha256(_STYLE.encode()).digest()).decode()
_CSP = (
    f"default-src 'none'; style-src 'sha256-{_STYLE_HASH}'; base-uri 'none'; frame-ancestors 'none'"
)
_SECURITY_HEADERS = [
    ("Content-Security-Policy", _CSP),
    ("X-Content-Type-Options", "nosniff"),
    ("Referrer-Policy", "no-referrer"),
    ("Cache-Control", "no-store"),
]


def _html_page(title: str, content: str, status: str = "200 OK") -> Response:
    """Every page shares one accessible shell; callers pass already-escaped content."""
    page = (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{html.escape(title)}</title>\n<style>{_STYLE}</style>\n</head>\n<body>\n"
        "<header><p>City Parking · a City Hall service</p></header>\n"
        f"<main>\n<h1>City Parking</h1>\n{content}\n</main>\n</body>\n</html>\n"
    )
    return Response(
        status,
        page.encode("utf-8"),
        [("Content-Type", "text/html; charset=utf-8"), *_SECURITY_HEADERS],
    )


def _redirect(location: str, *extra: tuple[str, str]) -> Response:
    return Response(
        "302 Found", b"", [("Location", location), ("Cache-Control", "no-store"), *extra]
    )


def _format_address(address: object) -> list[str]:
    """An OIDC address claim as display lines, preferring the provider's own formatting."""
    if isinstance(address, str):
        return [line for line in address.splitlines() if line.strip()]
    if not isinstance(address, dict):
        return []
    formatted = address.get("formatted")
    if isinstance(formatted, str) and formatted.strip():
        return [line for line in formatted.splitlines() if line.strip()]
    lines = str(address.get("street_address") or "").splitlines()
    town = " ".join(
        str(address[key]) for key in ("locality", "region", "postal_code") if address.get(key)
    )
    lines += [town, str(address.get("country") or "")]
    return [line for line in lines if line.strip()]


def _display_name(user: Mapping[str, Any]) -> str:
    """The friendliest name the claims allow, falling back to stable identifiers."""
    if user.get("name"):
        return str(user["name"])
    given = " ".join(str(user[k]) for k in ("given_name", "family_name") if user.get(k))
    return given or str(user.get("preferred_username") or user.get("email") or user["sub"])


# --- The application -------------------------------------------------------------------------


class ParkingApp:
    """The WSGI application: routes, sessions and the OIDC relying-party flow."""

    def __init__(
        self,
        *,
        issuer: str,
        client_id: str,
        client_secret: str,
        public_url: str,
        scopes: str,
        webhook_secret: str = "",
    ) -> None:
        if not client_id or not client_secret:
            raise ValueError("client_id and client_secret are required")
        if "openid" not in scopes.split():
            raise ValueError("scopes must include 'openid'")
        self.public_url = _normalise_base_url(public_url, "public_url")
        self.base_path = urllib.parse.urlsplit(self.public_url).path
        self.redirect_uri = f"{self.public_url}/callback"
        self.scopes = scopes
        self.provider = Provider(_normalise_base_url(issuer, "issuer"), client_id, client_secret)
        self.sessions = SessionStore()
        self._secure_cookie = self.public_url.startswith("https://")
        self._routes: dict[str, tuple[str, Callable[[WSGIEnvironment], Response]]] = {
            "/": ("GET", self.home),
            "/login": ("GET", self.login),
            "/callback": ("GET", self.callback),
            "/logout": ("POST", self.logout),
            "/healthz": ("GET", self.healthz),
            "/webhooks/city": ("POST", self.city_webhook),
        }
        self.webhook_secret = webhook_secret
        # "Tell us once" changes from City Hall, per resident (the OIDC `sub`), newest last.
        self.updates: dict[str, list[dict[str, Any]]] = {}
        self._seen_events: set[str] = set()

    def __call__(self, environ: WSGIEnvironment, start_response: StartResponse) -> WSGIResponse:
        method = environ.get("REQUEST_METHOD", "GET")
        try:
            response = self.dispatch(environ, "GET" if method == "HEAD" else method)
        except Exception:
            # Log for the operator, but never show a traceback to the resident.
            traceback.print_exc(file=environ.get("wsgi.errors", sys.stderr))
            response = _html_page(
                "Something went wrong – City Parking",
                "<h2>Something went wrong</h2>\n<p>Please try again in a moment.</p>",
                "500 Internal Server Error",
            )
        headers = [*response.headers, ("Content-Length", str(len(response.body)))]
        start_response(response.status, headers)
        return [b""] if method == "HEAD" else [response.body]

    def dispatch(self, environ: WSGIEnvironment, method: str) -> Response:
        route = self._routes.get(environ.get("PATH_INFO") or "/")
        if route is None:
            return _html_page(
                "Page not found – City Parking",
                "<h2>Page not found</h2>\n"
                f'<p><a href="{self._url("/")}">Go to City Parking</a></p>',
                "404 Not Found",
            )
        allowed, handler = route
        if method != allowed:
            response = Response("405 Method Not Allowed", b"Method not allowed\n")
            response.headers += [("Content-Type", "text/plain"), ("Allow", allowed)]
            return response
        try:
            return handler(environ)
        except SignInError as exc:
            return self.problem(str(exc))

    def _path(self, path: str) -> str:
        """A same-site path that still works when the app is served under a path prefix."""
        return self.base_path + path

    def _url(self, path: str) -> str:
        """The same, escaped for an HTML attribute."""
        return html.escape(self._path(path))

    def _set_cookie(self, session_id: str, *, expire: bool = False) -> tuple[str, str]:
        attributes = [
            f"{COOKIE_NAME}={'' if expire else session_id}",
            f"Path={self.base_path or '/'}",
            "HttpOnly",
            "SameSite=Lax",
        ]
        if expire:
            attributes.append("Max-Age=0")
        if self._secure_cookie:
            attributes.append("Secure")
        return ("Set-Cookie", "; ".join(attributes))

    def problem(self, message: str) -> Response:
        """The one page for every failed sign-in: what happened and how to carry on."""
        content = (
            '<h2>We could not sign you in</h2>\n<div class="problem">'
            f"<p>{html.escape(message)}</p></div>\n"
            f'<p><a class="button" href="{self._url("/login")}">Try signing in again</a></p>\n'
            f'<p><a href="{self._url("/")}">Back to City Parking</a></p>'
        )
        return _html_page("Sign-in problem – City Parking", content, "400 Bad Request")

    # --- Routes ---

    def home(self, environ: WSGIEnvironment) -> Response:
        session = self.sessions.get(_cookie(environ, COOKIE_NAME))
        user = session.user if session else None
        if user is None:
            content = (
                "<p>Pay for parking and manage permits.</p>\n"
                "<p>Use your City Hall account: no new password to remember.</p>\n"
                f'<p><a class="button" href="{self._url("/login")}">Sign in with City Hall</a></p>'
            )
            return _html_page("City Parking", content)
        return _html_page("Your account – City Parking", self._account(user))

    def _account(self, user: Mapping[str, Any]) -> str:
        """The signed-in view; every claim is escaped because it came from elsewhere."""
        e = html.escape
        rows: list[tuple[str, str]] = []
        if user.get("email"):
            verified = " (verified)" if user.get("email_verified") is True else ""
            rows.append(("Email", e(str(user["email"])) + verified))
        address = _format_address(user.get("address"))
        if address:
            rows.append(("Address", "<br>".join(e(line) for line in address)))
        amr = user.get("amr")
        methods = [str(m) for m in amr] if isinstance(amr, list) else ([str(amr)] if amr else [])
        if "mfa" in methods:
            rows.append(("Sign-in", "Signed in with two-step verification"))
        if user.get("acr"):
            rows.append(("Assurance (acr)", e(str(user["acr"]))))
        if methods:
            rows.append(("Methods (amr)", e(", ".join(methods))))
        for update in self.updates.get(str(user.get("sub", "")), [])[-3:]:
            if isinstance(update.get("address"), dict):
                lines = _format_address(update["address"])
                rows.append(("New address from City Hall", "<br>".join(e(x) for x in lines)))
            if update.get("name"):
                rows.append(("New name from City Hall", e(str(update["name"]))))
        details = "\n".join(f"<dt>{label}</dt><dd>{value}</dd>" for label, value in rows)
        return (
            f"<p>Signed in as {e(_display_name(user))}</p>\n"
            '<section aria-labelledby="details-heading">\n'
            '<h2 id="details-heading">Your details from City Hall</h2>\n'
            f"<dl>\n{details}\n</dl>\n</section>\n"
            '<section aria-labelledby="parking-heading">\n'
            '<h2 id="parking-heading">Parking</h2>\n'
            "<p>You have no parking sessions or permits yet.</p>\n</section>\n"
            f'<form method="post" action="{self._url("/logout")}">'
            '<button class="button" type="submit">Sign out</button></form>'
        )

    def login(self, environ: WSGIEnvironment) -> Response:
        discovery = self.provider.discovery()
        session_id = _cookie(environ, COOKIE_NAME)
        session = self.sessions.get(session_id)
        extra: list[tuple[str, str]] = []
        if session is None or session_id is None:
            session = Session()
            session_id = self.sessions.create(session)
            extra.append(self._set_cookie(session_id))
        now = time.monotonic()
        session.pending = {
            state: pending
            for state, pending in list(session.pending.items())[-(MAX_PENDING_LOGINS - 1) :]
            if now - pending.started < LOGIN_TTL
        }
        state, nonce = secrets.token_urlsafe(32), secrets.token_urlsafe(32)
        verifier = secrets.token_urlsafe(64)
        session.pending[state] = PendingLogin(nonce=nonce, code_verifier=verifier)
        location = _with_query(
            discovery["authorization_endpoint"],
            {
                "response_type": "code",
                "client_id": self.provider.client_id,
                "redirect_uri": self.redirect_uri,
                "scope": self.scopes,
                "state": state,
                "nonce": nonce,
                "code_challenge": pkce_challenge(verifier),
                "code_challenge_method": "S256",
            },
        )
        return _redirect(location, *extra)

    def callback(self, environ: WSGIEnvironment) -> Response:
        query = urllib.parse.parse_qs(environ.get("QUERY_STRING", ""), keep_blank_values=True)
        session_id = _cookie(environ, COOKIE_NAME)
        session = self.sessions.get(session_id)
        if session is None or session_id is None:
            raise SignInError(
                "Your sign-in session has expired or cookies are turned off. Please try again."
            )
        state = _single(query, "state")
        pending = session.pending.pop(state, None) if state else None
        if pending is None or time.monotonic() - pending.started > LOGIN_TTL:
            raise SignInError("This sign-in response does not match a sign-in started here.")
        error = _single(query, "error")
        if error is not None:
            raise SignInError(
                PROVIDER_ERRORS.get(error, f"City Hall could not sign you in ({error[:64]}).")
            )
        discovery = self.provider.discovery()
        issuer = _single(query, "iss")
        if issuer is not None and issuer != discovery["issuer"]:  # RFC 9207 mix-up defence
            raise SignInError("This sign-in response came from an unexpected provider.")
        code = _single(query, "code")
        if not code:
            raise SignInError("City Hall did not send a sign-in code.")
        tokens = self.provider.exchange_code(code, self.redirect_uri, pending.code_verifier)
        claims = self.provider.verify_id_token(
            tokens["id_token"], nonce=pending.nonce, access_token=tokens["access_token"]
        )
        info = self.provider.userinfo(tokens["access_token"], sub=claims["sub"])
        user = {k: v for k, v in claims.items() if k not in TOKEN_ONLY_CLAIMS}
        user.update({k: v for k, v in info.items() if k not in TOKEN_ONLY_CLAIMS})
        # A fresh session id on sign-in, so a planted cookie cannot ride along (fixation).
        self.sessions.delete(session_id)
        new_id = self.sessions.create(Session(user=user, id_token=tokens["id_token"]))
        return _redirect(self._path("/"), self._set_cookie(new_id))

    def logout(self, environ: WSGIEnvironment) -> Response:
        session_id = _cookie(environ, COOKIE_NAME)
        session = self.sessions.get(session_id)
        self.sessions.delete(session_id)
        cleared = self._set_cookie("", expire=True)
        if session is None or not session.id_token:
            return _redirect(self._path("/"), cleared)
        try:
            discovery = self.provider.cached_discovery() or self.provider.discovery()
        except SignInError:
            discovery = {}
        end_session = discovery.get("end_session_endpoint")
        if not isinstance(end_session, str):
            return _redirect(self._path("/"), cleared)
        location = _with_query(
            end_session,
            {
                "id_token_hint": session.id_token,
                "post_logout_redirect_uri": f"{self.public_url}/",
                "client_id": self.provider.client_id,
            },
        )
        return _redirect(location, cleared)

    def city_webhook(self, environ: WSGIEnvironment) -> Response:
        """City Hall tells us about a resident's change: check the signature and its age,
        acknowledge an event we already have without applying it twice."""
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        body = environ["wsgi.input"].read(min(length, 65536))
        header = environ.get("HTTP_X_CITYHALL_SIGNATURE", "")
        if not self.webhook_secret or not _signature_ok(self.webhook_secret, header, body):
            return Response(
                "401 Unauthorized", b"bad signature\n", [("Content-Type", "text/plain")]
            )
        try:
            event = json.loads(body)
        except ValueError:
            return Response("400 Bad Request", b"not JSON\n", [("Content-Type", "text/plain")])
        event_id = str(event.get("id", ""))
        if event_id and event_id not in self._seen_events:
            self._seen_events.add(event_id)
            self.updates.setdefault(str(event.get("subject", "")), []).append(event)
        return Response("204 No Content", b"", [])

    def healthz(self, environ: WSGIEnvironment) -> Response:
        return Response(
            "200 OK", b'{"ok": true}', [("Content-Type", "application/json"), *_SECURITY_HEADERS]
        )


def _signature_ok(secret: str, header: str, body: bytes, tolerance: int = 300) -> bool:
    """City Hall's webhook signature: t=<unix time>,v1=<HMAC-SHA256 of "<t>.<body>">."""
    try:
        parts = dict(item.split("=", 1) for item in header.split(","))
        timestamp = int(parts["t"])
    except (ValueError, KeyError):
        return False
    if abs(time.time() - timestamp) > tolerance:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256)
    return hmac.compare_digest(expected.hexdigest(), parts.get("v1", ""))


def make_app(
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    public_url: str,
    scopes: str = DEFAULT_SCOPES,
    webhook_secret: str = "",
) -> WSGIApplication:
    """Build the City Parking WSGI app for one registered client at one issuer."""
    return ParkingApp(
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        public_url=public_url,
        scopes=scopes,
        webhook_secret=webhook_secret,
    )


# --- Serving ---------------------------------------------------------------------------------


class ThreadingWSGIServer(socketserver.ThreadingMixIn, WSGIServer):
    """One thread per request, so a slow provider call does not block other residents."""

    daemon_threads = True


class _RequestHandler(WSGIRequestHandler):
    """Access log without query strings: they carry one-time codes and state."""

    quiet = False

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        if not self.quiet:
            path = self.path.partition("?")[0]
            self.log_message('"%s %s" %s %s', self.command, path, str(code), str(size))


class _QuietRequestHandler(_RequestHandler):
    quiet = True


def build_server(
    host: str, port: int, app: WSGIApplication, *, quiet: bool = False
) -> ThreadingWSGIServer:
    """A threaded wsgiref server, bound but not yet serving (port 0 picks a free port)."""
    handler = _QuietRequestHandler if quiet else _RequestHandler
    return make_server(host, port, app, server_class=ThreadingWSGIServer, handler_class=handler)


def serve(
    host: str,
    port: int,
    app: WSGIApplication,
    *,
    on_ready: Callable[[str], None] | None = None,
) -> None:
    """Serve until interrupted; on_ready hears the real address once the socket is bound."""
    with build_server(host, port, app) as server:
        if on_ready is not None:
            bound_host, bound_port = server.server_address[:2]
            on_ready(f"http://{bound_host!s}:{bound_port}/")
        server.serve_forever()
