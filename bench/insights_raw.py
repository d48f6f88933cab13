"""The baseline for bench_insights: the same dashboard panels computed directly over the raw
cases table (what a first version would do), with the same filters."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import connection
from django.db.models import Avg, Count, F, Q, QuerySet
from django.db.models.functions import TruncDate, TruncMonth
from django.utils import timezone

from cityhall.cases.models import Case
from cityhall.insights.queries import Filters


def _cases(filters: Filters, field: str = "created_at") -> QuerySet[Case]:
    start = timezone.make_aware(dt.datetime.combine(filters.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(filters.end, dt.time.max))
    cases = Case.objects.order_by().filter(**{f"{field}__range": (start, end)})
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    if filters.service_type:
        cases = cases.filter(service_type_id=filters.service_type)
    if filters.neighbourhood:
        cases = cases.filter(neighbourhood_id=filters.neighbourhood)
    return cases


def raw_volume(filters: Filters) -> Any:
    opened = list(
        _cases(filters).annotate(d=TruncDate("created_at")).values("d").annotate(n=Count("*"))
    )
    closed = list(
        _cases(filters, "closed_at")
        .annotate(d=TruncDate("closed_at"))
        .values("d")
        .annotate(n=Count("*"))
    )
    return opened, closed


def raw_types(filters: Filters) -> Any:
    return list(
        _cases(filters).values("service_type_id").annotate(n=Count("*")).order_by("-n")[:15]
    )


def raw_channels(filters: Filters) -> Any:
    return list(_cases(filters).values("channel").annotate(n=Count("*")))


def raw_neighbourhoods(filters: Filters) -> Any:
    return list(_cases(filters).values("neighbourhood_id").annotate(n=Count("*")))


def raw_service_level(filters: Filters) -> Any:
    return list(
        _cases(filters, "closed_at")
        .filter(due_at__isnull=False, is_open=False)
        .annotate(m=TruncMonth("closed_at"))
        .values("m")
        .annotate(n=Count("*"), met=Count("id", filter=Q(closed_at__lte=F("due_at"))))
    )


def raw_time_to_close(filters: Filters) -> Any:
    sql, params = (
        _cases(filters, "closed_at")
        .filter(is_open=False)
        .values("created_at", "closed_at")
        .query.sql_with_params()
    )
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT date_trunc('month', closed_at), "
            "percentile_cont(0.5) WITHIN GROUP (ORDER BY closed_at - created_at), "
            "percentile_cont(0.9) WITHIN GROUP (ORDER BY closed_at - created_at) "
            f"FROM ({sql}) sub GROUP BY 1",  # noqa: S608 - a queryset's own SQL
            params,
        )
        return cursor.fetchall()


def raw_backlog(filters: Filters) -> Any:
    cases = Case.objects.order_by().filter(is_open=True)
    if filters.department:
        cases = cases.filter(department_id=filters.department)
    if filters.service_type:
        cases = cases.filter(service_type_id=filters.service_type)
    if filters.neighbourhood:
        cases = cases.filter(neighbourhood_id=filters.neighbourhood)
    now = timezone.now()
    return list(
        cases.annotate(d=TruncDate("created_at"))
        .values("d")
        .annotate(n=Count("*"), overdue=Count("id", filter=Q(due_at__lt=now)))
    )


def raw_satisfaction(filters: Filters) -> Any:
    return list(
        _cases(filters, "closed_at")
        .filter(satisfaction__isnull=False)
        .annotate(m=TruncMonth("closed_at"))
        .values("m")
        .annotate(a=Avg("satisfaction"), n=Count("*"))
    )


RAW_PANELS = {
    "volume": raw_volume,
    "types": raw_types,
    "channels": raw_channels,
    "neighbourhoods": raw_neighbourhoods,
    "service_level": raw_service_level,
    "time_to_close": raw_time_to_close,
    "backlog": raw_backlog,
    "satisfaction": raw_satisfaction,
}
