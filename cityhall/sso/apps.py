import functools
from typing import Any

from django.apps import AppConfig


class SsoConfig(AppConfig):
    name = "cityhall.sso"
    label = "sso"
    verbose_name = "Single sign-on and connected services"

    def ready(self) -> None:
        # allauth parses and validates the RSA key on every token it signs and every JWKS
        # request: 40-60 ms each on this hardware, most of a token exchange. The keys change
        # only on rotation, so keep the parsed ones (decisions/0009).
        from allauth.core.internal import jwkkit

        if getattr(jwkkit.load_jwk_from_pem, "_cityhall_cached", False):
            return
        parse = functools.lru_cache(maxsize=16)(jwkkit.load_jwk_from_pem)

        def cached(pem: str) -> tuple[dict[str, Any], Any]:
            jwk, key = parse(pem)
            return dict(jwk), key

        cached._cityhall_cached = True  # type: ignore[attr-defined]
        jwkkit.load_jwk_from_pem = cached

        # Token requests that authenticate with HTTP Basic reach a client lookup before the
        # client id is known: allauth then asks the database for `id IS NULL` (always none).
        from allauth.idp.oidc.internal.oauthlib import request_validator

        lookup = request_validator.lookup_client

        def lookup_known(client_id: str) -> Any:
            return lookup(client_id) if client_id else None

        request_validator.lookup_client = lookup_known
