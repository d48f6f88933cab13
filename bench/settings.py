"""Benchmarks run against a throwaway database (SQLite by default, or BENCH_DATABASE_URL)."""

import os
import tempfile

os.environ.setdefault("DEBUG", "1")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{tempfile.mkdtemp(prefix='cityhall-bench-')}/bench.sqlite3"
)

from cityhall.settings import *  # noqa: E402,F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
