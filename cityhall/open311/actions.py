"""Writes for Open311: issuing API keys."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cityhall.audit.actions import record_write
from cityhall.core.ttlcache import TTLCache
from cityhall.open311.models import ApiKey, hash_key


@transaction.atomic
def create_api_key(*, actor: Any, name: str) -> tuple[ApiKey, str]:
    """Returns the key row and the raw key, which is shown once and never stored."""
    raw = ApiKey.new_raw_key()
    key = ApiKey.objects.create(name=name.strip()[:100], prefix=raw[:8], key_hash=hash_key(raw))
    record_write(
        actor=actor, action="open311.key_created", summary=f"API key for {key.name}", obj=key
    )
    return key, raw


# Partners post many requests a second with the same key: a valid key is remembered for a
# minute per process, so revoking one takes effect within a minute.
_valid_keys: TTLCache[bool] = TTLCache(seconds=60)


def key_is_valid(raw: str) -> bool:
    if not raw:
        return False
    digest = hash_key(raw)
    found = _valid_keys.get_or_load(
        digest,
        lambda: ApiKey.objects.filter(key_hash=digest, is_active=True).exists() or None,
    )
    return bool(found)


def forget_cached_keys() -> None:
    _valid_keys.clear()
