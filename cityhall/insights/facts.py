"""What each case contributes to the rollups: one queryset (so a full build and an incremental
refresh compute exactly the same values, in the database) and the Python that turns facts into
rollup deltas."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from django.db.models import BooleanField, Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce, TruncDate

from cityhall.cases.models import Case as ServiceCase
from cityhall.insights.grid import annotate_cell
from cityhall.insights.models import (
    BUCKETS,
    CHANNEL_FIELDS,
    CHANNELS,
    CLOSE_EDGES_HOURS,
    HIST_FIELDS,
)

NO_DEADLINE = dt.date(9999, 12, 31)
FACT_FIELDS = [
    "case_id", "created_day", "closed_day", "service_type_id", "department_id",
    "neighbourhood_id", "channel", "cell", "is_open", "due_day", "close_bucket",
    "met_deadline", "satisfaction", "reopened", "duplicate",
]  # fmt: skip


def facts_queryset(cases: QuerySet[ServiceCase] | None = None) -> QuerySet[Any]:
    """One row of FACT_FIELDS per case, computed by the database."""
    cases = ServiceCase.objects.all() if cases is None else cases
    closed = Q(is_open=False, closed_at__isnull=False)
    bucket = Case(
        *[
            When(closed_at__lt=F("created_at") + Value(dt.timedelta(hours=edge)), then=Value(k))
            for k, edge in enumerate(CLOSE_EDGES_HOURS)
        ],
        default=Value(BUCKETS - 1),
        output_field=IntegerField(),
    )
    cases = annotate_cell(cases.order_by(), "f_cell")
    return cases.annotate(
        case_id=F("id"),
        created_day=TruncDate("created_at"),
        closed_day=Case(When(closed, then=TruncDate("closed_at")), default=None),
        department_id_0=Coalesce("department_id", 0),
        neighbourhood_id_0=Coalesce("neighbourhood_id", 0),
        due_day=Case(
            When(due_at__isnull=False, then=TruncDate("due_at")), default=Value(NO_DEADLINE)
        ),
        close_bucket=Case(When(closed, then=bucket), default=None, output_field=IntegerField()),
        met_deadline=Case(
            When(closed & Q(due_at__isnull=False, closed_at__lte=F("due_at")), then=Value(1)),
            When(closed & Q(due_at__isnull=False), then=Value(0)),
            default=None,
            output_field=IntegerField(),
        ),
        reopened=Case(
            When(reopened_count__gt=0, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        duplicate=Case(
            When(merged_into__isnull=False, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
    ).values_list(
        "case_id", "created_day", "closed_day", "service_type_id", "department_id_0",
        "neighbourhood_id_0", "channel", "f_cell", "is_open", "due_day", "close_bucket",
        "met_deadline", "satisfaction", "reopened", "duplicate",
    )  # fmt: skip


def month_of(day: dt.date) -> dt.date:
    return day.replace(day=1)


Deltas = dict[str, dict[tuple[Any, ...], dict[str, int]]]


def add_contributions(deltas: Deltas, fact: dict[str, Any], sign: int) -> None:
    """Add (sign=1) or take away (sign=-1) one case's share of every rollup."""
    dims = (fact["service_type_id"], fact["department_id"], fact["neighbourhood_id"])

    def bump(table: str, key: tuple[Any, ...], **counts: int) -> None:
        row = deltas.setdefault(table, {}).setdefault(key, defaultdict(int))
        for name, value in counts.items():
            row[name] += sign * value

    created = _as_date(fact["created_day"])
    channel_field = f"ch_{fact['channel']}" if fact["channel"] in CHANNELS else CHANNEL_FIELDS[-1]
    opened = {
        "opened": 1,
        "reopened": int(bool(fact["reopened"])),
        "duplicates": int(bool(fact["duplicate"])),
        channel_field: 1,
    }
    bump("daily", (created, *dims), **opened)
    bump("monthly", (month_of(created), *dims), **opened)
    bump("monthly_type", (month_of(created), dims[0], dims[1]), **opened)
    bump("monthly_area", (month_of(created), dims[1], dims[2]), **opened)
    if fact["closed_day"] is not None:
        counts = {"closed": 1, HIST_FIELDS[int(fact["close_bucket"])]: 1}
        if fact["met_deadline"] is not None:
            counts["with_deadline"] = 1
            counts["met_deadline"] = int(fact["met_deadline"])
        if fact["satisfaction"] is not None:
            counts["satisfaction_sum"] = int(fact["satisfaction"])
            counts["satisfaction_count"] = 1
        closed_day = _as_date(fact["closed_day"])
        bump("daily", (closed_day, *dims), **counts)
        bump("monthly", (month_of(closed_day), *dims), **counts)
        bump("monthly_type", (month_of(closed_day), dims[0], dims[1]), **counts)
        bump("monthly_area", (month_of(closed_day), dims[1], dims[2]), **counts)
    bump("hex", (month_of(created), *dims, int(fact["cell"])), opened=1)
    if fact["is_open"]:
        due = _as_date(fact["due_day"])
        bump("backlog", (created, due, *dims), open=1)
        bump("hexbacklog", (*dims, int(fact["cell"]), due), open=1)


def _as_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        return dt.date.fromisoformat(value[:10])
    return value


def contributions(
    facts: Iterable[dict[str, Any]], sign: int, deltas: Deltas | None = None
) -> Deltas:
    deltas = {} if deltas is None else deltas
    for fact in facts:
        add_contributions(deltas, fact, sign)
    return deltas
