"""Reading the rollups: dashboard panels, maps, the equity view and the public scorecard.
Who may see which department's figures is decided here (`scope_for`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Case as SqlCase
from django.db.models import F, IntegerField, Q, QuerySet, Sum, Value, When
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from cityhall.insights import grid
from cityhall.insights.models import (
    CHANNEL_FIELDS,
    CHANNELS,
    CLOSE_EDGES_HOURS,
    HIST_FIELDS,
    BacklogRollup,
    DailyRollup,
    HexBacklog,
    HexRollup,
    MonthlyAreaRollup,
    MonthlyRollup,
    MonthlyTypeRollup,
    RollupState,
)
from cityhall.org.models import CITY_WIDE_ROLES, StaffMembership

# --- Who sees what ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """The departments whose figures someone may see; None means every department."""

    departments: tuple[int, ...] | None

    def allows(self, department_id: int | None) -> bool:
        return self.departments is None or department_id in self.departments


def scope_for(user: Any) -> Scope:
    """City admins and auditors see the whole city; every other staff member sees the
    departments they belong to. Anyone else gets a 404 (the pages do not exist for them)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        raise Http404
    memberships = list(
        StaffMembership.objects.filter(user=user).values_list("department_id", "role")
    )
    if not memberships:
        raise Http404
    if any(role in CITY_WIDE_ROLES for _, role in memberships):
        return Scope(None)
    return Scope(tuple(sorted({d for d, _ in memberships if d is not None})))


def can_see_insights(user: Any) -> bool:
    try:
        scope_for(user)
    except Http404:
        return False
    return True


@dataclass(frozen=True)
class Filters:
    start: dt.date
    end: dt.date
    department: int | None = None
    service_type: int | None = None
    neighbourhood: int | None = None

    @classmethod
    def default(cls, today: dt.date | None = None) -> Filters:
        end = today or timezone.localdate()
        return cls(start=end - dt.timedelta(days=364), end=end)


def filter_choices(scope: Scope) -> dict[str, list[tuple[Any, str]]]:
    from cityhall.catalog.models import ServiceType
    from cityhall.org.models import Department
    from cityhall.places.models import Neighbourhood

    departments = Department.objects.order_by("name_en")
    types = ServiceType.objects.order_by("name_en")
    if scope.departments is not None:
        departments = departments.filter(pk__in=scope.departments)
        types = types.filter(department_id__in=scope.departments)
    return {
        "department": [(d.pk, d.name) for d in departments],
        "service_type": [(t.pk, t.name) for t in types.only("pk", "name_en", "name_es")],
        "neighbourhood": list(Neighbourhood.objects.order_by("name").values_list("pk", "name")),
    }


def _dims(queryset: QuerySet[Any], scope: Scope, filters: Filters) -> QuerySet[Any]:
    if scope.departments is not None:
        queryset = queryset.filter(department_id__in=scope.departments)
    if filters.department:
        queryset = queryset.filter(department_id=filters.department)
    if filters.service_type:
        queryset = queryset.filter(service_type_id=filters.service_type)
    if filters.neighbourhood:
        queryset = queryset.filter(neighbourhood_id=filters.neighbourhood)
    return queryset


def _next_month(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def _split(start: dt.date, end: dt.date) -> tuple[list[tuple[dt.date, dt.date]], Any]:
    """The whole months inside [start, end] (first and last month start, or None) and the
    day ranges left at either end."""
    first = start if start.day == 1 else _next_month(start)
    after_last = (
        _next_month(end) if _next_month(end) - dt.timedelta(days=1) == end else end.replace(day=1)
    )
    if first >= after_last:
        return [(start, end)], None
    days = []
    if start < first:
        days.append((start, first - dt.timedelta(days=1)))
    if after_last <= end:
        days.append((after_last, end))
    last_month = (after_last - dt.timedelta(days=1)).replace(day=1)
    return days, (first, last_month)


def _sums(
    scope: Scope, filters: Filters, by: str | None, columns: list[str], *, months: bool = True
) -> dict[Any, dict[str, int]]:
    """Sums of rollup columns over the filters, grouped by `by` (a dimension, "day", or None
    for one total). Whole months come from MonthlyRollup (grouped by "day", they are keyed by
    the month's first day), the days at either end from DailyRollup."""
    day_ranges, month_range = (
        _split(filters.start, filters.end) if months else ([(filters.start, filters.end)], None)
    )
    parts: list[tuple[QuerySet[Any], str]] = []
    if day_ranges:
        when = Q()
        for low, high in day_ranges:
            when |= Q(day__range=(low, high))
        parts.append((_dims(DailyRollup.objects.order_by(), scope, filters).filter(when), "day"))
    if month_range:
        # The smallest monthly table that has every dimension asked for.
        needs_type = by == "service_type_id" or bool(filters.service_type)
        needs_area = by == "neighbourhood_id" or bool(filters.neighbourhood)
        model: Any = MonthlyRollup
        if not needs_area:
            model = MonthlyTypeRollup
        elif not needs_type:
            model = MonthlyAreaRollup
        parts.append(
            (_dims(model.objects.order_by(), scope, filters).filter(month__range=month_range),
             "month")
        )  # fmt: skip
    out: dict[Any, dict[str, int]] = {}
    for queryset, time_field in parts:
        aggregates = {f"s_{c}": Sum(c) for c in columns}
        if by is None:
            rows: Any = [(None, *queryset.aggregate(**aggregates).values())]
        else:
            group = time_field if by == "day" else by
            rows = queryset.values(group).annotate(**aggregates).values_list(group, *aggregates)
        for key, *values in rows:
            key = _date(key) if by == "day" else key
            bucket = out.setdefault(key, dict.fromkeys(columns, 0))
            for name, value in zip(columns, values, strict=True):
                bucket[name] += int(value or 0)
    return out


def _total(scope: Scope, filters: Filters, columns: list[str]) -> dict[str, int]:
    return _sums(scope, filters, None, columns).get(None, dict.fromkeys(columns, 0))


# --- Panels ----------------------------------------------------------------------------------


@dataclass
class Panel:
    """One chart and the table with its numbers. `chart` is "bars" (the first numeric column
    of each row, labelled by the first column), "lines" (every numeric column over the rows)
    or "" (a table only). `links` optionally maps a row index to a URL for its label."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]]
    chart: str = "bars"
    series: list[int] = field(default_factory=lambda: [1])
    unit: str = ""
    note: str = ""
    links: dict[int, str] = field(default_factory=dict)


def _period(filters: Filters) -> tuple[str, Callable[[dt.date], dt.date]]:
    if (filters.end - filters.start).days <= 92:
        return "day", lambda d: d
    return "month", lambda d: d.replace(day=1)


PERIOD_COLUMNS = ["opened", "closed", "reopened", "duplicates", "with_deadline", "met_deadline",
                  "satisfaction_sum", "satisfaction_count", *HIST_FIELDS]  # fmt: skip
_page_cache: ContextVar[dict[Any, Any] | None] = ContextVar("insights_page_cache", default=None)


def _by_period(
    scope: Scope, filters: Filters, columns: list[str]
) -> tuple[str, list[tuple[dt.date, dict[str, int]]]]:
    """Sums of rollup columns per day, folded into days, weeks or months."""
    kind, fold = _period(filters)
    shared = _page_cache.get()
    if shared is not None:
        # On the dashboard page the five time-series panels share one read of every column.
        key = (scope, filters)
        if key not in shared:
            shared[key] = _sums(scope, filters, "day", PERIOD_COLUMNS, months=kind == "month")
        sums = shared[key]
    else:
        sums = _sums(scope, filters, "day", columns, months=kind == "month")
    folded: dict[dt.date, dict[str, int]] = {}
    day = filters.start
    while day <= filters.end:  # every period, so a quiet one shows as zero, not as a gap
        folded.setdefault(fold(day), dict.fromkeys(columns, 0))
        day += dt.timedelta(days=1)
    for day, values in sums.items():
        bucket = folded.setdefault(fold(day), dict.fromkeys(columns, 0))
        for name in columns:
            bucket[name] += values[name]
    return kind, sorted(folded.items())


def _date(value: Any) -> dt.date:
    return dt.date.fromisoformat(value[:10]) if isinstance(value, str) else value


def _label(kind: str, day: dt.date) -> str:
    if kind == "month":
        return day.strftime("%Y-%m")
    return day.isoformat()


def percentile(histogram: list[int], q: float) -> float | None:
    """The q-quantile (hours) of durations known only by histogram bucket: linear within the
    bucket that holds it. The open-ended last bucket answers its lower edge."""
    total = sum(histogram)
    if not total:
        return None
    target = q * total
    seen = 0.0
    for k, count in enumerate(histogram):
        if count and seen + count >= target:
            low = 0.0 if k == 0 else float(CLOSE_EDGES_HOURS[k - 1])
            if k >= len(CLOSE_EDGES_HOURS):
                return low
            high = float(CLOSE_EDGES_HOURS[k])
            return low + (high - low) * (target - seen) / count
        seen += count
    return float(CLOSE_EDGES_HOURS[-1])


def _days(hours: float | None) -> float | None:
    return None if hours is None else round(hours / 24, 1)


def _pct(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def panel_volume(scope: Scope, filters: Filters) -> Panel:
    kind, rows = _by_period(scope, filters, ["opened", "closed"])
    return Panel(
        "volume",
        _("Requests opened and closed"),
        [_("Period"), _("Opened"), _("Closed")],
        [[_label(kind, d), v["opened"], v["closed"]] for d, v in rows],
        chart="lines",
        series=[1, 2],
    )


def _names(model: Any, ids: Iterable[int], attribute: str = "name") -> dict[int, str]:
    fields = ["pk", "name"] if model.__name__ == "Neighbourhood" else ["pk", "name_en", "name_es"]
    objects = model.objects.filter(pk__in=[i for i in ids if i]).only(*fields)
    return {o.pk: str(getattr(o, attribute)) for o in objects}


def _top(
    scope: Scope, filters: Filters, dimension: str, limit: int = 15
) -> list[tuple[int, int, int]]:
    sums = _sums(scope, filters, dimension, ["opened", "closed"])
    ranked = sorted(sums.items(), key=lambda item: (-item[1]["opened"], item[0]))
    return [(key, v["opened"], v["closed"]) for key, v in ranked[:limit]]


def panel_types(scope: Scope, filters: Filters) -> Panel:
    from cityhall.catalog.models import ServiceType

    top = _top(scope, filters, "service_type_id")
    names = _names(ServiceType, [t for t, _o, _c in top])
    return Panel(
        "types",
        _("Requests by type (top 15)"),
        [_("Type"), _("Opened"), _("Closed")],
        [[names.get(t, "?"), o or 0, c or 0] for t, o, c in top],
    )


def panel_departments(scope: Scope, filters: Filters) -> Panel:
    from cityhall.org.models import Department

    top = _top(scope, filters, "department_id", limit=50)
    names = _names(Department, [d for d, _o, _c in top])
    return Panel(
        "departments",
        _("Requests by department"),
        [_("Department"), _("Opened"), _("Closed")],
        [[names.get(d, _("Not routed")), o or 0, c or 0] for d, o, c in top],
    )


def panel_neighbourhoods(scope: Scope, filters: Filters) -> Panel:
    from cityhall.places.models import Neighbourhood

    top = _top(scope, filters, "neighbourhood_id", limit=500)
    names = _names(Neighbourhood, [n for n, _o, _c in top])
    return Panel(
        "neighbourhoods",
        _("Requests by neighbourhood"),
        [_("Neighbourhood"), _("Opened"), _("Closed")],
        [[names.get(n, _("Outside the map")), o or 0, c or 0] for n, o, c in top],
    )


def channel_labels() -> dict[str, str]:
    from cityhall.cases.models import Channel

    return {str(c.value): str(c.label) for c in Channel}


def panel_channels(scope: Scope, filters: Filters) -> Panel:
    sums = _total(scope, filters, CHANNEL_FIELDS)
    total = sum(sums.values())
    labels = channel_labels()
    counts = sorted(((sums[f"ch_{n}"], n) for n in CHANNELS), key=lambda c: -c[0])
    rows: list[list[Any]] = [[labels.get(n, n), c, _pct(c, total)] for c, n in counts]
    return Panel(
        "channels", _("How requests came in"), [_("Channel"), _("Opened"), _("Share (%)")], rows
    )


def panel_service_level(scope: Scope, filters: Filters) -> Panel:
    kind, rows = _by_period(scope, filters, ["with_deadline", "met_deadline"])
    met = sum(v["met_deadline"] for _d, v in rows)
    due = sum(v["with_deadline"] for _d, v in rows)
    share = _pct(met, due)
    return Panel(
        "service_level",
        _("Closed within the service level"),
        [_("Period"), _("Met (%)"), _("Closed with a deadline"), _("Met")],
        [
            [
                _label(kind, d),
                _pct(v["met_deadline"], v["with_deadline"]),
                v["with_deadline"],
                v["met_deadline"],
            ]
            for d, v in rows
        ],  # fmt: skip
        chart="lines",
        unit="%",
        note=_("Overall: %(share)s%% of %(n)s requests with a deadline were closed in time.")
        % {"share": share if share is not None else "—", "n": due},
    )


def panel_time_to_close(scope: Scope, filters: Filters) -> Panel:
    kind, rows = _by_period(scope, filters, ["closed", *HIST_FIELDS])
    table = []
    overall = [0] * len(HIST_FIELDS)
    for day, values in rows:
        histogram = [values[h] for h in HIST_FIELDS]
        overall = [a + b for a, b in zip(overall, histogram, strict=True)]
        table.append(
            [_label(kind, day), _days(percentile(histogram, 0.5)),
             _days(percentile(histogram, 0.9)), values["closed"]]
        )  # fmt: skip
    return Panel(
        "time_to_close",
        _("Days to close: median and 90th percentile"),
        [_("Period"), _("Median (days)"), _("90th percentile (days)"), _("Closed")],
        table,
        chart="lines",
        series=[1, 2],
        note=_("Overall: median %(p50)s days, 90th percentile %(p90)s days.")
        % {
            "p50": _days(percentile(overall, 0.5)) or "—",
            "p90": _days(percentile(overall, 0.9)) or "—",
        },
    )


AGE_BUCKETS = [(1, "< 1 day"), (7, "1–7 days"), (30, "1–4 weeks"), (90, "1–3 months"),
               (365, "3–12 months"), (10**6, "over a year")]  # fmt: skip


def panel_backlog(scope: Scope, filters: Filters, today: dt.date | None = None) -> Panel:
    today = today or timezone.localdate()
    # The age bucket and "overdue" are worked out by the database: a handful of rows back.
    age = SqlCase(
        *[
            When(created_day__gt=today - dt.timedelta(days=limit), then=Value(limit))
            for limit, _l in AGE_BUCKETS[:-1]
        ],
        default=Value(AGE_BUCKETS[-1][0]),
        output_field=IntegerField(),
    )
    overdue_only = SqlCase(
        When(due_day__lt=today, then=F("open")), default=Value(0), output_field=IntegerField()
    )
    rows = (
        _dims(BacklogRollup.objects.order_by(), scope, filters)
        .annotate(age_limit=age)
        .values("age_limit")
        .annotate(s_open=Sum("open"), s_overdue=Sum(overdue_only))
        .values_list("age_limit", "s_open", "s_overdue")
    )
    labels = {
        1: _("under a day"), 7: _("1–7 days"), 30: _("1–4 weeks"), 90: _("1–3 months"),
        365: _("3–12 months"), 10**6: _("over a year"),
    }  # fmt: skip
    buckets = {limit: [0, 0] for limit, _l in AGE_BUCKETS}
    for limit, count, late in rows:
        buckets[int(limit)][0] += int(count or 0)
        buckets[int(limit)][1] += int(late or 0)
    total = sum(v[0] for v in buckets.values())
    overdue = sum(v[1] for v in buckets.values())
    return Panel(
        "backlog",
        _("Open requests by age"),
        [_("Age"), _("Open"), _("Overdue")],
        [[labels[limit], v[0], v[1]] for limit, v in buckets.items()],
        note=_("%(total)s open now, %(overdue)s of them overdue.")
        % {"total": total, "overdue": overdue},
    )


def panel_satisfaction(scope: Scope, filters: Filters) -> Panel:
    kind, rows = _by_period(scope, filters, ["satisfaction_sum", "satisfaction_count"])
    total = sum(v["satisfaction_sum"] for _d, v in rows)
    count = sum(v["satisfaction_count"] for _d, v in rows)
    return Panel(
        "satisfaction",
        _("Satisfaction (1 to 5)"),
        [_("Period"), _("Average rating"), _("Ratings")],
        [
            [
                _label(kind, d),
                round(v["satisfaction_sum"] / v["satisfaction_count"], 2)
                if v["satisfaction_count"]
                else None,
                v["satisfaction_count"],
            ]
            for d, v in rows
        ],  # fmt: skip
        chart="lines",
        note=_("Overall: %(avg)s from %(n)s ratings.")
        % {"avg": round(total / count, 2) if count else "—", "n": count},
    )


def panel_repeats(scope: Scope, filters: Filters) -> Panel:
    kind, rows = _by_period(scope, filters, ["opened", "reopened", "duplicates"])
    return Panel(
        "repeats",
        _("Reopened requests and repeat reports"),
        [_("Period"), _("Reopened"), _("Repeat reports (merged)"), _("Opened")],
        [[_label(kind, d), v["reopened"], v["duplicates"], v["opened"]] for d, v in rows],
        chart="lines",
        series=[1, 2],
    )


def panel_seasonality(scope: Scope, filters: Filters) -> Panel:
    """Requests per month this year against last year (the year of the end date)."""
    year = filters.end.year
    window = Filters(
        dt.date(year - 1, 1, 1), dt.date(year, 12, 31), filters.department,
        filters.service_type, filters.neighbourhood,
    )  # fmt: skip
    months = [[0, 0] for _m in range(12)]
    for day, values in _sums(scope, window, "day", ["opened"]).items():
        months[day.month - 1][day.year - year + 1] += values["opened"]
    names = [date_format(dt.date(2000, m, 1), "M") for m in range(1, 13)]
    return Panel(
        "seasonality",
        _("Seasonality: requests per month, this year and last"),
        [_("Month"), str(year), str(year - 1)],
        [[names[m], months[m][1], months[m][0]] for m in range(12)],
        chart="lines",
        series=[1, 2],
    )


def panel_search(scope: Scope, filters: Filters) -> Panel:
    """What residents searched for (city-wide: searches belong to no department)."""
    from cityhall.search.models import QueryStat

    monday = filters.start - dt.timedelta(days=filters.start.weekday())
    rows = list(
        QueryStat.objects.filter(week__range=(monday, filters.end))
        .values("query")
        .annotate(s=Sum("searches"), z=Sum("zero_results"), c=Sum("clicks"))
        .order_by("-s", "query")
        .values_list("query", "s", "z", "c")[:15]
    )
    return Panel(
        "search",
        _("Top searches"),
        [_("Search"), _("Searches"), _("With no results"), _("Clicks")],
        [list(r) for r in rows],
    )


def panel_unanswered(scope: Scope, filters: Filters) -> Panel:
    from cityhall.search.models import QueryStat

    monday = filters.start - dt.timedelta(days=filters.start.weekday())
    rows = list(
        QueryStat.objects.filter(week__range=(monday, filters.end), zero_results__gt=0)
        .values("query")
        .annotate(z=Sum("zero_results"), s=Sum("searches"))
        .order_by("-z", "query")
        .values_list("query", "z", "s")[:15]
    )
    return Panel(
        "unanswered",
        _("Searches that found nothing"),
        [_("Search"), _("With no results"), _("Searches")],
        [list(r) for r in rows],
    )


def panel_assistant(scope: Scope, filters: Filters) -> Panel:
    """Conversations the assistant finished without a person, per day (its daily counters)."""
    from cityhall.assistant.queries import deflection_by_day

    columns = [_("Day"), _("Resolved without staff (%)"), _("Conversations"),
               _("Resolved without staff")]  # fmt: skip
    days = deflection_by_day(since=filters.start, until=filters.end)
    kind, fold = _period(filters)
    folded: dict[dt.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, conversations, resolved in days:
        folded[fold(day)][0] += int(conversations)
        folded[fold(day)][1] += int(resolved)
    rows = [[_label(kind, d), _pct(r, c), c, r] for d, (c, r) in sorted(folded.items())]
    total = sum(c for c, _r in folded.values())
    resolved = sum(r for _c, r in folded.values())
    return Panel(
        "assistant",
        _("Assistant deflection"),
        columns,
        rows,
        chart="lines" if rows else "",
        unit="%",
        note=(
            _("%(share)s%% of %(n)s conversations needed no staff.")
            % {"share": _pct(resolved, total), "n": total}
            if total
            else _("No assistant data yet.")
        ),
    )


def panel_notifications(scope: Scope, filters: Filters) -> Panel:
    """Messages to residents by channel and outcome (city-wide counters kept by the
    notifications app as messages are delivered)."""
    from cityhall.notifications.models import Channel, DailyCount

    rows = (
        DailyCount.objects.filter(day__range=(filters.start, filters.end))
        .values("channel", "outcome")
        .annotate(n=Sum("count"))
        .values_list("channel", "outcome", "n")
    )
    outcomes: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for channel, outcome, count in rows:
        outcomes[channel][outcome] += int(count or 0)
    labels = {str(c.value): str(c.label) for c in Channel}
    shown = ["sent", "delivered", "failed", "suppressed"]
    table: list[list[Any]] = [
        [labels.get(channel, channel), *(counts.get(o, 0) for o in shown)]
        for channel, counts in sorted(outcomes.items())
    ]
    return Panel(
        "notifications",
        _("Messages to residents"),
        [_("Channel"), _("Sent"), _("Delivered"), _("Failed"), _("Not sent (opted out)")],
        table,
    )


PANELS: dict[str, Callable[[Scope, Filters], Panel]] = {
    "volume": panel_volume,
    "types": panel_types,
    "departments": panel_departments,
    "neighbourhoods": panel_neighbourhoods,
    "channels": panel_channels,
    "service_level": panel_service_level,
    "time_to_close": panel_time_to_close,
    "backlog": panel_backlog,
    "satisfaction": panel_satisfaction,
    "repeats": panel_repeats,
    "seasonality": panel_seasonality,
    "search": panel_search,
    "unanswered": panel_unanswered,
    "assistant": panel_assistant,
    "notifications": panel_notifications,
}


@dataclass
class Dashboard:
    filters: Filters
    panels: list[Panel]
    refreshed_at: dt.datetime | None


def dashboard(user: Any, filters: Filters) -> Dashboard:
    scope = scope_for(user)
    _check(scope, filters)
    state = RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()
    token = _page_cache.set({})
    try:
        panels = [build(scope, filters) for build in PANELS.values()]
    finally:
        _page_cache.reset(token)
    return Dashboard(filters, panels, state)


def panel(user: Any, name: str, filters: Filters) -> Panel:
    scope = scope_for(user)
    _check(scope, filters)
    if name not in PANELS:
        raise Http404
    return PANELS[name](scope, filters)


def _check(scope: Scope, filters: Filters) -> None:
    if filters.department and not scope.allows(filters.department):
        raise Http404  # the form offers only allowed departments; a crafted id finds nothing


# --- Equity ----------------------------------------------------------------------------------


def equity(user: Any, filters: Filters) -> Panel:
    """Time to close, deadlines met and satisfaction per neighbourhood, with the city-wide
    figure first, so unequal service shows."""
    from cityhall.places.models import Neighbourhood

    scope = scope_for(user)
    _check(scope, filters)
    wide = Filters(filters.start, filters.end, filters.department, filters.service_type, None)
    sums = ["closed", "with_deadline", "met_deadline", "satisfaction_sum", "satisfaction_count",
            *HIST_FIELDS]  # fmt: skip
    per_area = {
        area: [values[c] for c in sums]
        for area, values in _sums(scope, wide, "neighbourhood_id", sums).items()
    }
    city = [sum(values[i] for values in per_area.values()) for i in range(len(sums))]
    names = dict(Neighbourhood.objects.values_list("pk", "name"))

    def line(label: str, v: list[int]) -> list[Any]:
        histogram = v[5:]
        return [
            label,
            _days(percentile(histogram, 0.5)),
            _days(percentile(histogram, 0.9)),
            _pct(v[2], v[1]),
            round(v[3] / v[4], 2) if v[4] else None,
            v[0],
        ]

    table = [line(_("Whole city"), city)]
    for pk, name in sorted(names.items(), key=lambda item: item[1]):
        table.append(line(name, per_area.get(pk, [0] * len(sums))))
    return Panel(
        "equity",
        _("Service by neighbourhood"),
        [
            _("Neighbourhood"),
            _("Median days to close"),
            _("90th percentile (days)"),
            _("Closed in time (%)"),
            _("Average rating"),
            _("Closed"),
        ],  # fmt: skip
        table,
        note=_("The first row is the whole city, for comparison."),
    )


# --- Maps ------------------------------------------------------------------------------------


@dataclass
class HotSpot:
    cell: int
    count: int
    lat: float
    lng: float
    box: tuple[float, float, float, float]


def hotspots(user: Any, filters: Filters, mode: str, today: dt.date | None = None) -> list[HotSpot]:
    """Counts per hexagon: open cases, open and overdue cases, or cases reported in the dates."""
    scope = scope_for(user)
    _check(scope, filters)
    today = today or timezone.localdate()
    if mode == "opened":
        rows = _dims(HexRollup.objects.order_by(), scope, filters).filter(
            month__range=(filters.start.replace(day=1), filters.end)
        )
        measure = "opened"
    else:
        rows = _dims(HexBacklog.objects.order_by(), scope, filters)
        if mode == "overdue":
            rows = rows.filter(due_day__lt=today)
        measure = "open"
    counts = rows.exclude(cell=0).values("cell").annotate(n=Sum(measure)).values_list("cell", "n")
    spots = []
    for cell, count in counts:
        lat, lng = grid.centre(int(cell))
        spots.append(HotSpot(int(cell), int(count or 0), lat, lng, grid.bounding_box(int(cell))))
    spots.sort(key=lambda s: -s.count)
    return [s for s in spots if s.count > 0]


def area_counts(user: Any, filters: Filters) -> dict[int, int]:
    scope = scope_for(user)
    _check(scope, filters)
    wide = Filters(filters.start, filters.end, filters.department, filters.service_type, None)
    return {n: v["opened"] for n, v in _sums(scope, wide, "neighbourhood_id", ["opened"]).items()}


# --- Public scorecard ------------------------------------------------------------------------


@dataclass
class Scorecard:
    department: str
    code: str
    opened_30: int
    closed_30: int
    met_pct_90: float | None
    median_days_90: float | None
    open_now: int
    overdue_now: int
    trend: Panel


def scorecards(today: dt.date | None = None) -> list[Scorecard]:
    """Every active department's service levels over the last 90 days and a 12-month trend.
    Computed once a day (cached until the date changes); no login needed."""
    today = today or timezone.localdate()
    key = f"insights:scorecards:{today.isoformat()}:{_lang()}"
    cached = cache.get(key)
    if cached is None:
        cached = _scorecards(today)
        cache.set(key, cached, 60 * 60 * 24)
    return cached


def _lang() -> str:
    from django.utils import translation

    return translation.get_language() or "en"


def _scorecards(today: dt.date) -> list[Scorecard]:
    from cityhall.org.models import Department

    everyone = Scope(None)
    cards = []
    months_back = today.year * 12 + today.month - 1 - 11
    first_of_month = dt.date(months_back // 12, months_back % 12 + 1, 1)
    for department in Department.objects.filter(is_active=True).order_by("name_en"):
        last_90 = Filters(today - dt.timedelta(days=89), today, department.pk)
        last_30 = Filters(today - dt.timedelta(days=29), today, department.pk)
        year = Filters(first_of_month, today, department.pk)
        sums = _total(everyone, last_90, ["with_deadline", "met_deadline", *HIST_FIELDS])
        recent = _total(everyone, last_30, ["opened", "closed"])
        if not (recent["opened"] or sums["with_deadline"] or any(sums[h] for h in HIST_FIELDS)):
            backlog_any = BacklogRollup.objects.filter(department_id=department.pk).exists()
            if not backlog_any:
                continue
        backlog = panel_backlog(everyone, last_90, today)
        trend = panel_service_level(everyone, year)
        time_trend = panel_time_to_close(everyone, year)
        trend.columns.append(_("Median days to close"))
        for row, other in zip(trend.rows, time_trend.rows, strict=True):
            row.append(other[1])
        trend.key = f"scorecard-{department.code}"
        trend.title = _("%(department)s: closed in time, by month") % {
            "department": department.name
        }
        cards.append(
            Scorecard(
                department=department.name,
                code=department.code,
                opened_30=recent["opened"],
                closed_30=recent["closed"],
                met_pct_90=_pct(sums["met_deadline"], sums["with_deadline"]),
                median_days_90=_days(percentile([sums[h] for h in HIST_FIELDS], 0.5)),
                open_now=sum(r[1] for r in backlog.rows),
                overdue_now=sum(r[2] for r in backlog.rows),
                trend=trend,
            )
        )
    return cards


def panel_rows_as_csv(panel: Panel) -> Iterable[list[Any]]:
    yield panel.columns
    for row in panel.rows:
        yield ["" if v is None else v for v in row]


def latest_refresh() -> dt.datetime | None:
    return RollupState.objects.filter(pk=1).values_list("refreshed_at", flat=True).first()


@dataclass
class MapView:
    mode: str
    city: dict[str, Any]
    spots: list[HotSpot]
    spot_links: dict[int, str]
    hotspot_panel: Panel
    area_counts: dict[str, int]
    area_links: dict[str, str]
    area_panel: Panel
    corners: Callable[[int], list[tuple[float, float]]] = grid.corners


def map_view(user: Any, filters: Filters, mode: str) -> MapView:
    """The two maps: hexagon hot spots (open, overdue, or reported in the dates) and
    neighbourhoods shaded by requests in the dates; each shape links to its cases in the
    staff queue (the queue applies the viewer's own department limits)."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from cityhall.places.models import Neighbourhood
    from cityhall.places.queries import city_map

    spots = hotspots(user, filters, mode)[:300]
    counts = area_counts(user, filters)
    queue = reverse("cases:queue")
    base: dict[str, Any] = {"status": "open" if mode != "opened" else "all"}
    if filters.service_type:
        base["service_type"] = filters.service_type
    if filters.department:
        base["department"] = filters.department
    if mode == "overdue":
        base["overdue"] = "on"
    spot_links = {
        s.cell: queue + "?" + urlencode(base | {"box": ",".join(f"{v:.5f}" for v in s.box)})
        for s in spots
    }
    labels = dict(MAP_MODE_LABELS)
    hotspot_rows = []
    for s in spots[:25]:
        hotspot_rows.append([f"{s.lat:.4f}, {s.lng:.4f}", s.count])
    hotspot_panel = Panel(
        "hotspots",
        _("Hot spots: %(what)s") % {"what": labels.get(mode, mode)},
        [_("Centre (latitude, longitude)"), _("Cases")],
        hotspot_rows,
        links={i: spot_links[s.cell] for i, s in enumerate(spots[:25])},
    )
    areas = list(Neighbourhood.objects.order_by("name").values_list("pk", "slug", "name"))
    by_slug = {slug: counts.get(pk, 0) for pk, slug, _name in areas}
    area_links = {
        slug: queue
        + "?"
        + urlencode({k: v for k, v in base.items() if k != "overdue"} | {"neighbourhood": pk})
        for pk, slug, _name in areas
    }
    area_panel = Panel(
        "areas",
        _("Requests reported by neighbourhood, %(start)s to %(end)s")
        % {"start": filters.start, "end": filters.end},
        [_("Neighbourhood"), _("Opened")],
        sorted(([name, counts.get(pk, 0)] for pk, _slug, name in areas), key=lambda r: -r[1]),
    )
    return MapView(mode, city_map(), spots, spot_links, hotspot_panel, by_slug, area_links,
                   area_panel)  # fmt: skip


MAP_MODE_LABELS = [
    ("overdue", _lazy("open and overdue now")),
    ("open", _lazy("open now")),
    ("opened", _lazy("reported in the dates chosen")),
]
