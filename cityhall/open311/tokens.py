"""Open311 tokens. The standard lets a server answer a POST with a token and the request id
later (`GET /tokens/{token}`). We file requests synchronously, so the POST answers with both;
the token is still honoured. It is derived, not stored: the case's primary key and an HMAC of
it under the site's secret, so issuing one costs no write and a guessed token resolves to
nothing (see docs/decisions/0005-open311-extensions.md)."""

from __future__ import annotations

import re

from django.utils.crypto import constant_time_compare, salted_hmac

from cityhall.cases.models import Case

_SALT = "cityhall.open311.token"
_SHAPE = re.compile(r"^(\d{1,18})-([0-9a-f]{20})$")


def _mac(case_id: int) -> str:
    return salted_hmac(_SALT, str(case_id)).hexdigest()[:20]


def token_for(case_id: int) -> str:
    return f"{case_id}-{_mac(case_id)}"


def request_id_for(token: str) -> str | None:
    """The service_request_id a token stands for, or None if it is not one of ours."""
    match = _SHAPE.match(token)
    if match is None or not constant_time_compare(match[2], _mac(int(match[1]))):
        return None
    return (
        Case.objects.filter(pk=int(match[1]), reference__isnull=False)
        .values_list("reference", flat=True)
        .first()
    )
