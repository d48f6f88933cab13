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

PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
