"""Writes for Open311: issuing API keys."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from cityhall.audit.actions import record_write
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


def key_is_valid(raw: str) -> bool:
    return bool(raw) and ApiKey.objects.filter(key_hash=hash_key(raw), is_active=True).exists()
