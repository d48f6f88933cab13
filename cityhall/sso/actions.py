"""Writes for single sign-on: registering department apps, remembering and revoking what a
resident agreed to share, and telling connected services about a change."""

from __future__ import annotations

import time
from typing import Any

from allauth.idp.oidc.models import Client, Token
from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils import timezone
from django.utils.crypto import get_random_string
from django.utils.translation import gettext as _

from cityhall.audit.actions import record_write
from cityhall.sso import queries
from cityhall.sso.models import (
    ChangeKind,
    ChangeNotice,
    ConnectedService,
    ConsentGrant,
    SignInContext,
    WebhookDelivery,
)

CLIENT_SCOPES = ["openid", "profile", "email", "phone", "address", "personas"]
# Client secrets are 48 random characters: a slow password hash adds nothing but latency
# to every token exchange (decisions/0009).
CLIENT_SECRET_HASHER = "client_secret_pbkdf2"


def configure_client(
    client: Client, *, secret: str, redirect_uris: list[str], post_logout_redirect_uris: list[str]
) -> Client:
    """How every department app is set up: confidential, code flow with refresh tokens, our
    scopes, the secret hashed for quick checks. Saves the client."""
    client.secret = make_password(secret, hasher=CLIENT_SECRET_HASHER)
    client.set_redirect_uris(redirect_uris)
    client.set_post_logout_redirect_uris(post_logout_redirect_uris)
    client.set_grant_types(["authorization_code", "refresh_token"])
    client.set_response_types(["code"])
    client.set_scopes(CLIENT_SCOPES)
    client.set_default_scopes(["openid"])
    client.full_clean()
    client.save()
    return client


@transaction.atomic
def create_client(
    *, actor: Any, name: str, redirect_uris: list[str], post_logout_redirect_uris: list[str]
) -> tuple[Client, str]:
    """A confidential client for a department app; returns it and its secret (shown once)."""
    errors: dict[str, list[str]] = {}
    if not name.strip():
        errors["name"] = [_("Give the app a name.")]
    check = URLValidator(schemes=["http", "https"])
    for uri in [*redirect_uris, *post_logout_redirect_uris]:
        try:
            check(uri)
        except ValidationError:
            errors.setdefault("redirect_uri", []).append(_("Not a web address: %s") % uri)
    if not redirect_uris:
        errors.setdefault("redirect_uri", []).append(_("Give at least one redirect URI."))
    if errors:
        raise ValidationError(errors)
    secret = get_random_string(48)
    client = Client(name=name.strip(), type=Client.Type.CONFIDENTIAL)
    configure_client(
        client,
        secret=secret,
        redirect_uris=redirect_uris,
        post_logout_redirect_uris=post_logout_redirect_uris,
    )
    record_write(
        actor=actor, action="sso.client_created", summary=f"OIDC client {client.name}", obj=client
    )
    return client, secret


def authentication_summary(records: list[dict[str, Any]]) -> dict[str, Any]:
    """allauth's record of how this session signed in, as OIDC amr/acr/auth_time."""
    amr: set[str] = set()
    methods = {r.get("method") for r in records}
    if methods & {"password", "password_reset"}:
        amr.add("pwd")
    if "code" in methods:
        amr.add("otp")
    second_factor = [r for r in records if r.get("method") == "mfa"]
    for record in second_factor:
        amr.add("hwk" if record.get("type") == "webauthn" else "otp")
    if second_factor:
        amr.add("mfa")
    times = [int(r["at"]) for r in records if r.get("at")]
    return {
        "amr": sorted(amr),
        "acr": "mfa" if "mfa" in amr else "1",
        "auth_time": min(times) if times else int(time.time()),
    }


def _signin_cache_key(code: str) -> str:
    import hashlib

    return "sso:signin:" + hashlib.sha256(code.encode()).hexdigest()


def signin_for_code(code: str) -> dict[str, Any] | None:
    """How the resident signed in, for the code being exchanged (saves a query per token)."""
    from django.core.cache import cache

    return cache.get(_signin_cache_key(code)) if code else None


@transaction.atomic
def remember_authorisation(
    *,
    actor: Any,
    client: Client,
    scopes: list[str],
    records: list[dict[str, Any]],
    code: str = "",
) -> None:
    """The resident said yes on the consent screen (or had before): remember the scopes and
    how they signed in, for this client's tokens."""
    grant, created = ConsentGrant.objects.get_or_create(
        user=actor, client=client, defaults={"scopes": sorted(scopes)}
    )
    if not created and not set(scopes) <= set(grant.scopes):
        grant.scopes = sorted(set(grant.scopes) | set(scopes))
        grant.granted_at = timezone.now()
        grant.save(update_fields=["scopes", "granted_at"])
    if created:
        record_write(
            actor=actor,
            action="sso.consent_granted",
            summary=f"Agreed to share {', '.join(sorted(scopes))} with {client.name}",
            obj=grant,
            subject=actor,
        )
    summary = authentication_summary(records)
    SignInContext.objects.update_or_create(user=actor, client=client, defaults=summary)
    if code:
        from django.core.cache import cache

        cache.set(_signin_cache_key(code), summary, timeout=600)


@transaction.atomic
def revoke_client(*, actor: Any, client_id: str) -> bool:
    """Stop sharing with a service: its tokens stop working at once and it must ask again."""
    grant = ConsentGrant.objects.filter(user=actor, client_id=client_id).first()
    if grant is None:
        return False
    Token.objects.filter(user=actor, client_id=client_id).delete()
    SignInContext.objects.filter(user=actor, client_id=client_id).delete()
    grant.delete()
    record_write(
        actor=actor,
        action="sso.consent_revoked",
        summary=f"Stopped sharing with {client_id}",
        subject=actor,
    )
    return True


@transaction.atomic
def tell_services(
    *,
    actor: Any,
    kind: str,
    data: dict[str, Any],
    service_ids: list[int],
    creation_key: str | None = None,
) -> ChangeNotice:
    """Pass a change on to the services the resident chose, each as a signed webhook written
    in this transaction (the worker delivers and retries it). A service only ever gets the
    fields it was granted, and only if the resident is connected to it."""
    if not getattr(actor, "is_authenticated", False):
        raise PermissionDenied
    if kind not in ChangeKind.values:
        raise ValidationError({"kind": [_("Choose what changed from the list.")]})
    if creation_key:
        existing = ChangeNotice.objects.filter(user=actor, creation_key=creation_key).first()
        if existing is not None:
            return existing
    allowed = {s.pk: s for s in queries.services_to_tell(actor, kind)}
    unknown = [pk for pk in service_ids if pk not in allowed]
    if unknown:
        raise ValidationError({"services": [_("Choose services from the list.")]})
    notice = ChangeNotice.objects.create(
        user=actor, kind=kind, data=data, creation_key=creation_key
    )
    deliveries = []
    for pk in service_ids:
        service = allowed[pk]
        payload = queries.payload_for(actor, kind, data, service.allowed_fields)
        if payload:
            deliveries.append(WebhookDelivery(notice=notice, service=service, payload=payload))
    WebhookDelivery.objects.bulk_create(deliveries)
    if deliveries:
        record_write(
            actor=actor,
            action="sso.change_shared",
            summary=f"Told {len(deliveries)} services: {kind}",
            obj=notice,
            subject=actor,
        )
    return notice


def register_service(
    *,
    actor: Any,
    name: str,
    client: Client | None,
    webhook_url: str,
    allowed_fields: list[str],
    department: Any = None,
) -> ConnectedService:
    """City admins register department systems (also possible in the admin site)."""
    from cityhall.org.queries import is_city_admin

    if actor is not None and not is_city_admin(actor):
        raise PermissionDenied
    service = ConnectedService.objects.create(
        name=name, client=client, webhook_url=webhook_url, allowed_fields=allowed_fields,
        department=department,
    )  # fmt: skip
    record_write(
        actor=actor, action="sso.service_registered", summary=f"Service {name}", obj=service
    )
    return service


def erase_personal_data(*, user: Any, email: str, phone: str) -> int:
    """Account deletion: every connected service loses access at once (tokens, consents,
    sign-in records); changes not yet delivered are not sent, and what was passed on keeps
    no details."""
    Token.objects.filter(user=user).delete()
    ConsentGrant.objects.filter(user=user).delete()
    SignInContext.objects.filter(user=user).delete()
    pending = WebhookDelivery.objects.filter(notice__user=user).exclude(status="delivered")
    stopped = pending.update(status="failed", last_error="account deleted", payload={})
    WebhookDelivery.objects.filter(notice__user=user).update(payload={})
    ChangeNotice.objects.filter(user=user).update(data={})
    return stopped
