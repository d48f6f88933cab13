"""Enqueueing background work as part of the write that causes it."""

from __future__ import annotations

from typing import Any

from django.db import transaction


def enqueue_with_transaction(task: Any, *args: Any, run_after: Any = None) -> None:
    """With the database task backend the task row is written inside the caller's transaction:
    it exists exactly when the change that caused it commits (an outbox; nothing is lost if the
    process dies right after commit) and it costs no second commit. Any other backend cannot
    share the transaction, so the task goes out after commit instead."""
    from django_tasks_db import DatabaseBackend

    configured = task.using(run_after=run_after) if run_after is not None else task
    if (
        isinstance(configured.get_backend(), DatabaseBackend)
        and transaction.get_connection().in_atomic_block
    ):
        configured.enqueue(*args)
    else:
        transaction.on_commit(lambda: configured.enqueue(*args))
