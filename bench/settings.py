"""Benchmarks run against a throwaway database (SQLite by default, or BENCH_DATABASE_URL)."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
if "BENCH_DATABASE_URL" not in os.environ:
    # Set once, inherited by the gunicorn processes a benchmark starts: one shared database.
    folder = tempfile.mkdtemp(prefix="cityhall-bench-")
    os.environ["BENCH_DATABASE_URL"] = f"sqlite:///{folder}/bench.sqlite3"
os.environ["DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"]

from cityhall.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "cityhall.sso.hashers.ClientSecretHasher",
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Benchmarks with several server processes that must share a cache (OIDC codes live there).
if os.environ.get("BENCH_REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["BENCH_REDIS_URL"],
        }
    }
IDP_OIDC_AUTHORIZATION_CODE_EXPIRES_IN = int(os.environ.get("BENCH_CODE_LIFETIME", "60"))
OIDC_AUTO_CREATE_KEY = True
