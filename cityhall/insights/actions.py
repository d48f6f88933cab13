# ruff: noqa: S608 - SQL here is built from constant table and column names; values are parameters
"""Writes of the insights app: building and refreshing the rollups. Only the worker (a task) and
the `cityhall insights refresh` command call these; `actor` is None for both."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction
from django.db.models import Case as SqlCase
from django.db.models import Count, F, IntegerField, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from cityhall.cases.models import Case
from cityhall.insights.facts import FACT_FIELDS, Deltas, add_contributions, facts_queryset
from cityhall.insights.models import (
    BUCKETS,
    CHANNEL_FIELDS,
    CHANNELS,
    HIST_FIELDS,
    BacklogRollup,
    CaseFact,
    DailyRollup,
    HexBacklog,
    HexRollup,
    MonthlyAreaRollup,
    MonthlyRollup,
    MonthlyTypeRollup,
    RollupState,
)

# Cases updated this long before the last refresh started are looked at again, so a write
# that committed late (its updated_at older than the refresh that missed it) is not lost.
# Looking again is harmless: a case whose facts did not change contributes nothing.
OVERLAP = dt.timedelta(minutes=10)
CHUNK = 5000

DIMS = ["service_type_id", "department_id", "neighbourhood_id"]
# What every case-count rollup (daily and the monthly cubes) adds up, per bucket.
MEASURES = [
    "opened", "reopened", "duplicates", "closed", "with_deadline", "met_deadline",
    "satisfaction_sum", "satisfaction_count", *CHANNEL_FIELDS, *HIST_FIELDS,
]  # fmt: skip
TABLES: dict[str, tuple[Any, list[str], list[str]]] = {
    "daily": (
        DailyRollup,
        ["day", *DIMS],
        MEASURES,
    ),  # fmt: skip
    "monthly": (
        MonthlyRollup,
        ["month", *DIMS],
        MEASURES,
    ),  # fmt: skip
    "monthly_type": (
        MonthlyTypeRollup,
        ["month", "service_type_id", "department_id"],
        MEASURES,
    ),  # fmt: skip
    "monthly_area": (
        MonthlyAreaRollup,
        ["month", "department_id", "neighbourhood_id"],
        MEASURES,
    ),  # fmt: skip
    "backlog": (BacklogRollup, ["created_day", "due_day", *DIMS], ["open"]),
    "hex": (HexRollup, ["month", *DIMS, "cell"], ["opened"]),
    "hexbacklog": (HexBacklog, [*DIMS, "cell", "due_day"], ["open"]),
}


ROLLUPS = (
    CaseFact, DailyRollup, MonthlyRollup, MonthlyTypeRollup, MonthlyAreaRollup, BacklogRollup,
    HexRollup, HexBacklog,
)  # fmt: skip


@dataclass
class RefreshReport:
    full: bool
    cases: int
    seconds: float


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _insert_select(table: str, keys: list[str], values: list[str], queryset: QuerySet[Any]) -> None:
    """INSERT … SELECT, adding to rows that exist. The queryset names its key columns k_<key>
    and its counters a_<counter> (annotations may not reuse the fact table's field names)."""
    sql, params = queryset.query.sql_with_params()
    columns = [*keys, *values]
    listed = ", ".join(_q(c) for c in columns)
    selected = (
        ", ".join(_q(f"k_{c}") for c in keys) + ", " + ", ".join(_q(f"a_{c}") for c in values)
    )
    updates = ", ".join(f"{_q(c)} = {_q(table)}.{_q(c)} + excluded.{_q(c)}" for c in values)
    statement = (
        f"INSERT INTO {_q(table)} ({listed}) SELECT {selected} FROM ({sql}) sub WHERE 1 = 1 "
        f"ON CONFLICT ({', '.join(_q(k) for k in keys)}) DO UPDATE SET {updates}"
    )
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def _count_when(**condition: Any) -> Any:
    return Sum(
        SqlCase(When(**condition, then=Value(1)), default=Value(0)), output_field=IntegerField()
    )


def _keys(*names: str, **renamed: Any) -> dict[str, Any]:
    return {f"k_{n}": F(n) for n in names} | {f"k_{n}": e for n, e in renamed.items()}


def _aggs(**named: Any) -> dict[str, Any]:
    return {f"a_{n}": e for n, e in named.items()}


def rebuild_rollups(*, actor: Any = None) -> RefreshReport:
    """Everything again from the cases table, in the database (a first build, or after the grid
    or the bucket edges change)."""
    started = timezone.now()
    clock = _clock()
    with transaction.atomic():
        state = _locked_state()
        last_id = Case.objects.order_by("-id").values_list("id", flat=True).first() or 0
        for model in ROLLUPS:
            model.objects.all().delete()
        facts_sql, params = facts_queryset().query.sql_with_params()
        fact_table = CaseFact._meta.db_table
        inner = [
            "case_id", "created_day", "closed_day", "service_type_id", "department_id_0",
            "neighbourhood_id_0", "channel", "f_cell", "is_open", "due_day", "close_bucket",
            "met_deadline", "satisfaction", "reopened", "duplicate",
        ]  # fmt: skip
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {_q(fact_table)} ({', '.join(_q(c) for c in FACT_FIELDS)}) "
                f"SELECT {', '.join(_q(c) for c in inner)} FROM ({facts_sql}) sub",
                params,
            )
        facts = CaseFact.objects.order_by()
        daily = DailyRollup._meta.db_table
        _insert_select(
            daily,
            ["day", *DIMS],
            ["opened", "reopened", "duplicates", *CHANNEL_FIELDS],
            facts.values(**_keys(*DIMS, day=F("created_day"))).annotate(
                **_aggs(
                    opened=Count("*"),
                    reopened=_count_when(reopened=True),
                    duplicates=_count_when(duplicate=True),
                    **{f"ch_{c}": _count_when(channel=c) for c in CHANNELS},
                )
            ),
        )
        _insert_select(
            daily,
            ["day", *DIMS],
            [
                "closed",
                "with_deadline",
                "met_deadline",
                "satisfaction_sum",
                "satisfaction_count",
                *HIST_FIELDS,
            ],  # fmt: skip
            facts.filter(closed_day__isnull=False)
            .values(**_keys(*DIMS, day=F("closed_day")))
            .annotate(
                **_aggs(
                    closed=Count("*"),
                    with_deadline=Count("met_deadline"),
                    met_deadline=Coalesce(Sum("met_deadline"), 0),
                    satisfaction_sum=Coalesce(Sum("satisfaction"), 0),
                    satisfaction_count=Count("satisfaction"),
                    **{HIST_FIELDS[k]: _count_when(close_bucket=k) for k in range(BUCKETS)},
                )
            ),
        )
        counters = TABLES["monthly"][2]
        _insert_select(
            MonthlyRollup._meta.db_table,
            ["month", *DIMS],
            counters,
            DailyRollup.objects.order_by()
            .values(**_keys(*DIMS, month=TruncMonth("day")))
            .annotate(**_aggs(**{c: Sum(c) for c in counters})),
        )
        for name in ("monthly_type", "monthly_area"):
            model, keys, counters = TABLES[name]
            _insert_select(
                model._meta.db_table,
                keys,
                counters,
                MonthlyRollup.objects.order_by()
                .values(**_keys(*keys))
                .annotate(**_aggs(**{c: Sum(c) for c in counters})),
            )
        _insert_select(
            BacklogRollup._meta.db_table,
            ["created_day", "due_day", *DIMS],
            ["open"],
            facts.filter(is_open=True)
            .values(**_keys("created_day", "due_day", *DIMS))
            .annotate(a_open=Count("*")),
        )
        _insert_select(
            HexRollup._meta.db_table,
            ["month", *DIMS, "cell"],
            ["opened"],
            facts.values(**_keys(*DIMS, "cell", month=TruncMonth("created_day"))).annotate(
                a_opened=Count("*")
            ),
        )
        _insert_select(
            HexBacklog._meta.db_table,
            [*DIMS, "cell", "due_day"],
            ["open"],
            facts.filter(is_open=True)
            .values(**_keys(*DIMS, "cell", "due_day"))
            .annotate(a_open=Count("*")),
        )
        count = CaseFact.objects.count()
        state.last_case_id = last_id
        state.last_updated_at = started
        state.built_at = state.refreshed_at = timezone.now()
        state.cases_refreshed = count
        state.save()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in ROLLUPS:
                cursor.execute(f"ANALYZE {_q(model._meta.db_table)}")
    return RefreshReport(full=True, cases=count, seconds=clock())


def _clock() -> Any:
    import time

    started = time.perf_counter()
    return lambda: time.perf_counter() - started


def _locked_state() -> RollupState:
    RollupState.objects.get_or_create(pk=1)
    return RollupState.objects.select_for_update().get(pk=1)


def refresh_rollups(*, actor: Any = None) -> RefreshReport:
    """Bring the rollups up to date with the cases that are new or changed since the last
    refresh: each such case leaves the buckets it was counted in and joins its new ones."""
    state = RollupState.objects.filter(pk=1).first()
    if state is None or state.built_at is None:
        return rebuild_rollups(actor=actor)
    started = timezone.now()
    clock = _clock()
    with transaction.atomic():
        state = _locked_state()
        since = (state.last_updated_at or started) - OVERLAP
        changed = list(
            Case.objects.filter(Q(pk__gt=state.last_case_id) | Q(updated_at__gte=since))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        for start in range(0, len(changed), CHUNK):
            _refresh_chunk(changed[start : start + CHUNK])
        if changed:
            state.last_case_id = max(state.last_case_id, changed[-1])
        state.last_updated_at = started
        state.refreshed_at = timezone.now()
        state.cases_refreshed = len(changed)
        state.save()
    return RefreshReport(full=False, cases=len(changed), seconds=clock())


def _refresh_chunk(ids: list[int]) -> None:
    deltas: Deltas = {}
    old = list(CaseFact.objects.filter(case_id__in=ids).values(*FACT_FIELDS))
    new = [dict(zip(FACT_FIELDS, row, strict=True))
           for row in facts_queryset(Case.objects.filter(pk__in=ids))]  # fmt: skip
    for fact in old:
        add_contributions(deltas, fact, -1)
    for fact in new:
        add_contributions(deltas, fact, 1)
    _apply(deltas)
    CaseFact.objects.filter(case_id__in=ids).delete()
    CaseFact.objects.bulk_create(
        [CaseFact(**{**fact, "cell": int(fact["cell"])}) for fact in new], batch_size=1000
    )


def _apply(deltas: Deltas) -> None:
    with connection.cursor() as cursor:
        for name, rows in deltas.items():
            model, keys, values = TABLES[name]
            table = model._meta.db_table
            changed = [(key, row) for key, row in rows.items() if any(row.values())]
            if not changed:
                continue
            columns = [*keys, *values]
            placeholders = ", ".join(["%s"] * len(columns))
            updates = ", ".join(f"{_q(c)} = {_q(table)}.{_q(c)} + excluded.{_q(c)}" for c in values)
            cursor.executemany(
                f"INSERT INTO {_q(table)} ({', '.join(_q(c) for c in columns)}) "
                f"VALUES ({placeholders}) ON CONFLICT ({', '.join(_q(k) for k in keys)}) "
                f"DO UPDATE SET {updates}",
                [[*key, *(row.get(v, 0) for v in values)] for key, row in changed],
            )
            emptied = [key for key, row in changed if row.get("open", 0) < 0]
            if name in ("backlog", "hexbacklog") and emptied:
                # Emptied buckets go, so the backlog tables stay the size of the backlog.
                where = " AND ".join(f"{_q(k)} = %s" for k in keys)
                cursor.executemany(
                    f"DELETE FROM {_q(table)} WHERE {where} AND {_q('open')} <= 0",
                    [list(key) for key in emptied],
                )
