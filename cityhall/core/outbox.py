# ruff: noqa: S608 - SQL here is built from constant table and column names; values are parameters
"""Shared by the outboxes that workers claim with a lease (notifications, webhooks)."""

from __future__ import annotations

import signal
import time
from collections.abc import Callable
from typing import Any

from django.db import close_old_connections, connection


def update_leased(
    table: str,
    sql_set: str,
    columns: list[str],
    rows: list[tuple[Any, ...]],
    token: str,
    extra: list[Any],
) -> None:
    """Record a batch's outcomes in one statement: `rows` are (id, …) tuples named by
    `columns`, `sql_set` reads them as `v.<column>` (after `extra` parameters). Only rows
    still leased to `token` change: a worker that lost its lease cannot overwrite the
    outcome of the one that took over."""
    if not rows:
        return
    values = ", ".join(["(" + ", ".join(["%s"] * len(columns)) + ")"] * len(rows))
    with connection.cursor() as cursor:
        cursor.execute(
            f"WITH v({', '.join(columns)}) AS (VALUES {values}) UPDATE {table} SET {sql_set}, "
            f"lease_token = '', lease_until = NULL FROM v "
            f"WHERE {table}.id = v.id AND {table}.lease_token = %s",
            [value for row in rows for value in row] + extra + [token],
        )


def run_worker_loop(step: Callable[[], int], *, poll: float, once: bool) -> None:
    """Call `step` (which returns how much it did) until SIGTERM/SIGINT; sleep `poll`
    seconds when idle, or stop when idle with `once`. A signal lets the batch finish."""
    stopping = False

    def stop(*_args: Any) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    while not stopping:
        if step() == 0:
            if once:
                return
            close_old_connections()
            time.sleep(poll)
