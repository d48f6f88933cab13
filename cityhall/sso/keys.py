"""The provider's signing keys: PEM files in one folder, named by when they were made.

Rotation (`cityhall oidc-key rotate`) adds a key that is published at once in the JWKS but
signs only after `ROTATION_DELAY` (relying parties cache the JWKS for up to that long); the
previous key keeps being published until `RETIRE_AFTER` past that, so tokens it signed can
still be checked. In development and tests the first key is made on first use."""

from __future__ import annotations

import datetime as dt
import threading
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

ROTATION_DELAY = dt.timedelta(hours=1)
RETIRE_AFTER = dt.timedelta(days=1)
_FORMAT = "%Y%m%dT%H%M%SZ"
_lock = threading.Lock()
_cache: dict[str, object] = {}


def keys_dir() -> Path:
    return Path(settings.OIDC_KEYS_DIR)


def _new_pem() -> str:
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric import rsa

    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    ).decode()


def write_key(when: dt.datetime | None = None) -> Path:
    folder = keys_dir()
    folder.mkdir(parents=True, exist_ok=True)
    when = when or timezone.now()
    path = folder / f"{when.astimezone(dt.UTC).strftime(_FORMAT)}.pem"
    path.write_text(_new_pem())
    path.chmod(0o600)
    _cache.clear()
    return path


def _issued(path: Path) -> dt.datetime:
    return dt.datetime.strptime(path.stem, _FORMAT).replace(tzinfo=dt.UTC)


def key_entries() -> list[dict[str, object]]:
    """Every published key, as allauth's IDP_OIDC_PRIVATE_KEYS entries. Every token asks;
    the folder is looked at again at most once a second."""
    import time

    checked = _cache.get("checked_at")
    if isinstance(checked, float) and time.monotonic() - checked < 1.0 and "entries" in _cache:
        return list(_cache["entries"])  # type: ignore[call-overload]
    _cache["checked_at"] = time.monotonic()
    folder = keys_dir()
    files = sorted(folder.glob("*.pem")) if folder.exists() else []
    if not files:
        if not settings.OIDC_AUTO_CREATE_KEY:
            raise ImproperlyConfigured(f"No OpenID Connect signing key in {folder}")
        with _lock:
            files = sorted(folder.glob("*.pem")) if folder.exists() else []
            if not files:
                write_key(timezone.now() - ROTATION_DELAY)
                files = sorted(folder.glob("*.pem"))
    stamp = tuple((f.name, f.stat().st_mtime) for f in files)
    if _cache.get("stamp") == stamp:
        return list(_cache["entries"])  # type: ignore[call-overload]
    issued = [_issued(f) for f in files]
    entries: list[dict[str, object]] = []
    for index, path in enumerate(files):
        starts = issued[index] + (ROTATION_DELAY if index else dt.timedelta(0))
        following = issued[index + 1] + ROTATION_DELAY if index + 1 < len(files) else None
        entries.append(
            {
                "pem": path.read_text(),
                "issued_at": issued[index],
                "not_before": starts,
                "expires_at": following + RETIRE_AFTER if following else None,
            }
        )
    _cache.update(stamp=stamp, entries=entries)
    return list(entries)
