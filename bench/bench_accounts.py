"""Household profile writes: our action (validation, row lock, idempotency check) against a
bare ORM insert, measured in the same run on the same database."""

from __future__ import annotations

import statistics
import time

from django.core.management import call_command


def _timed(fn, n: int) -> list[float]:
    samples = []
    for i in range(n):
        started = time.perf_counter()
        fn(i)
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def p99(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=100)[98]


def run() -> dict[str, float]:
    call_command("migrate", verbosity=0)
    from cityhall.accounts import actions
    from cityhall.accounts.models import Profile, User

    users = [User.objects.create_user(email=f"bench{i}@example.org") for i in range(200)]
    for user in users:
        actions.create_primary_profile(actor=user)

    def via_action(i: int) -> None:
        actions.create_profile(
            actor=users[i % 200], name=f"P{i}", idempotency_key=f"k{i}", personas=["student"]
        )

    def via_orm(i: int) -> None:
        Profile.objects.create(account=users[i % 200], name=f"B{i}", personas=["student"])

    action = _timed(via_action, 800)
    Profile.objects.exclude(is_primary=True).delete()
    baseline = _timed(via_orm, 800)
    return {
        "accounts_create_profile_p50_ms": statistics.median(action),
        "accounts_create_profile_p99_ms": p99(action),
        "accounts_baseline_orm_insert_p50_ms": statistics.median(baseline),
        "accounts_baseline_orm_insert_p99_ms": p99(baseline),
    }
