"""Service-level deadlines in calendar or working days (weekends and city holidays skipped)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.utils import timezone


def add_days(
    start: dt.datetime, days: int, *, working_days: bool, holidays: Iterable[dt.date] = ()
) -> dt.datetime:
    """The deadline `days` after `start`. In working days a case filed on a Saturday starts
    counting on Monday, and the deadline keeps the time of day it was filed."""
    if not working_days:
        return start + dt.timedelta(days=days)
    closed = set(holidays)
    local = timezone.localtime(start)
    day = local.date()
    remaining = days
    while remaining > 0:
        day += dt.timedelta(days=1)
        if day.weekday() < 5 and day not in closed:
            remaining -= 1
    return local.replace(year=day.year, month=day.month, day=day.day)


def city_holidays(start: dt.date, *, span_days: int = 400) -> list[dt.date]:
    from cityhall.cases.models import Holiday

    end = start + dt.timedelta(days=span_days)
    return list(
        Holiday.objects.filter(date__gte=start, date__lte=end).values_list("date", flat=True)
    )


def deadline_for(start: dt.datetime, days: int, *, working_days: bool) -> dt.datetime:
    holidays = city_holidays(timezone.localtime(start).date()) if working_days else []
    return add_days(start, days, working_days=working_days, holidays=holidays)
