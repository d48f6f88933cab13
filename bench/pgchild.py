"""Run a benchmark's `measure()` in a child process against a fresh PostgreSQL database
(settings are read once per process, and servers a benchmark starts inherit the database
from the environment). The database is dropped afterwards."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

PG_ADMIN_URL = os.environ.get(
    "BENCH_PG_URL", "postgres://postgres:postgres@127.0.0.1:5432/postgres"
)
ROOT = Path(__file__).resolve().parents[1]


def postgres_available() -> str:
    """ "" when a server answers, else why not."""
    try:
        import psycopg

        psycopg.connect(PG_ADMIN_URL, connect_timeout=3).close()
    except Exception as problem:  # noqa: BLE001 - any failure means "no server to use"
        return str(problem)
    return ""


def measure_in_fresh_postgres(module: str, *, extra_env: dict[str, str] | None = None) -> dict:
    import psycopg

    name = f"cityhall_bench_{module.rsplit('_', 1)[-1]}_{os.getpid()}"
    base = PG_ADMIN_URL.rsplit("/", 1)[0]
    with psycopg.connect(PG_ADMIN_URL, autocommit=True, connect_timeout=3) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            env = {**os.environ, "BENCH_DATABASE_URL": f"{base}/{name}",
                   "DJANGO_SETTINGS_MODULE": "bench.settings", **(extra_env or {})}  # fmt: skip
            code = (
                f"import json, django; django.setup(); from {module} import measure; "
                "print('RESULT ' + json.dumps(measure()))"
            )
            child = subprocess.run([sys.executable, "-c", code], env=env, cwd=ROOT,
                                   stdout=subprocess.PIPE, text=True, check=True)  # fmt: skip
            line = next(x for x in child.stdout.splitlines() if x.startswith("RESULT "))
            return dict(json.loads(line[7:]))
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
