"""Rollups the dashboards read instead of the cases table.

`CaseFact` keeps, per case, the few derived values that case last contributed to the rollups
(its buckets), so an incremental refresh can take a changed case out of its old buckets and
add it to its new ones. Rollup keys use 0 for "none" (no department, no neighbourhood, no
location) so that the unique constraints hold on both databases (NULLs never collide)."""

from django.db import models

# Upper edges (hours) of the time-to-close histogram buckets; the last bucket is open-ended.
# Percentiles are interpolated within a bucket (see docs/decisions/0011).
CLOSE_EDGES_HOURS = (
    1, 2, 4, 8, 12, 18, 24, 36, 48, 72, 96, 120, 168, 240, 336, 504, 720, 1080, 1440, 2160,
    2880, 4320, 8760,
)  # fmt: skip
BUCKETS = len(CLOSE_EDGES_HOURS) + 1
HIST_FIELDS = [f"h{k:02d}" for k in range(BUCKETS)]
CHANNELS = ("web", "api", "open311", "sms", "email", "phone", "internal")
CHANNEL_FIELDS = [f"ch_{c}" for c in CHANNELS]


class CaseFact(models.Model):
    case_id = models.BigIntegerField(primary_key=True)
    created_day = models.DateField()
    closed_day = models.DateField(null=True)
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()
    channel = models.CharField(max_length=16)
    cell = models.BigIntegerField()
    is_open = models.BooleanField()
    due_day = models.DateField()
    close_bucket = models.SmallIntegerField(null=True)
    met_deadline = models.SmallIntegerField(null=True)
    satisfaction = models.SmallIntegerField(null=True)
    reopened = models.BooleanField()
    duplicate = models.BooleanField()

    def __str__(self) -> str:
        return f"fact {self.case_id}"


def _counter() -> models.BigIntegerField:
    return models.BigIntegerField(default=0, db_default=0)


class Measures(models.Model):
    """The counters every rollup of cases carries, summed the same way at each grain."""

    opened = _counter()
    reopened = _counter()
    duplicates = _counter()
    closed = _counter()
    with_deadline = _counter()
    met_deadline = _counter()
    satisfaction_sum = _counter()
    satisfaction_count = _counter()
    locals().update({name: _counter() for name in CHANNEL_FIELDS + HIST_FIELDS})

    class Meta:
        abstract = True


class DailyRollup(Measures):
    """Per day, type, department and neighbourhood: what was opened that day (by channel,
    reopened, duplicates) and what was closed that day (deadline met, time to close as a
    histogram, satisfaction)."""

    day = models.DateField()
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["day", "service_type_id", "department_id", "neighbourhood_id"],
                name="daily_rollup_once",
            )
        ]
        indexes = [
            models.Index(fields=["department_id", "day"], name="daily_rollup_dept_idx"),
            models.Index(fields=["service_type_id", "day"], name="daily_rollup_type_idx"),
            models.Index(fields=["neighbourhood_id", "day"], name="daily_rollup_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.service_type_id}/{self.department_id}/{self.neighbourhood_id}"


class MonthlyRollup(Measures):
    """DailyRollup summed by month: a date range reads whole months here and only the partial
    months at either end from the daily table."""

    month = models.DateField()
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_type_id", "department_id", "neighbourhood_id"],
                name="monthly_rollup_once",
            )
        ]
        indexes = [
            models.Index(fields=["department_id", "month"], name="monthly_rollup_dept_idx"),
            models.Index(fields=["service_type_id", "month"], name="monthly_rollup_type_idx"),
            models.Index(fields=["neighbourhood_id", "month"], name="monthly_rollup_area_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_type_id}/{self.department_id}"


class MonthlyTypeRollup(Measures):
    """MonthlyRollup without the neighbourhood: what the dashboards read when no neighbourhood
    is asked for (one row per month, type and department, ~50× fewer rows)."""

    month = models.DateField()
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_type_id", "department_id"],
                name="monthly_type_rollup_once",
            )
        ]
        indexes = [models.Index(fields=["department_id", "month"], name="monthly_type_dept_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.service_type_id}/{self.department_id}"


class MonthlyAreaRollup(Measures):
    """MonthlyRollup without the request type: read for neighbourhood figures of all types."""

    month = models.DateField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "department_id", "neighbourhood_id"],
                name="monthly_area_rollup_once",
            )
        ]
        indexes = [models.Index(fields=["department_id", "month"], name="monthly_area_dept_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} {self.department_id}/{self.neighbourhood_id}"


class BacklogRollup(models.Model):
    """Open cases now, by the day they came in and the day they are due (9999-12-31: none)."""

    created_day = models.DateField()
    due_day = models.DateField()
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()
    open = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=[
                    "created_day",
                    "due_day",
                    "service_type_id",
                    "department_id",
                    "neighbourhood_id",
                ],
                name="backlog_rollup_once",
            )  # fmt: skip
        ]
        indexes = [models.Index(fields=["department_id"], name="backlog_rollup_dept_idx")]

    def __str__(self) -> str:
        return f"{self.created_day}→{self.due_day}: {self.open}"


class HexRollup(models.Model):
    """Cases opened per month in each hexagon of the grid (cell 0: no location)."""

    month = models.DateField()
    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()
    cell = models.BigIntegerField()
    opened = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["month", "service_type_id", "department_id", "neighbourhood_id", "cell"],
                name="hex_rollup_once",
            )
        ]
        indexes = [models.Index(fields=["service_type_id", "month"], name="hex_rollup_type_idx")]

    def __str__(self) -> str:
        return f"{self.month} cell {self.cell}: {self.opened}"


class HexBacklog(models.Model):
    """Open cases now in each hexagon, by due day (for overdue hot spots)."""

    service_type_id = models.IntegerField()
    department_id = models.IntegerField()
    neighbourhood_id = models.IntegerField()
    cell = models.BigIntegerField()
    due_day = models.DateField()
    open = _counter()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["service_type_id", "department_id", "neighbourhood_id", "cell", "due_day"],
                name="hex_backlog_once",
            )
        ]

    def __str__(self) -> str:
        return f"cell {self.cell} due {self.due_day}: {self.open}"


class RollupState(models.Model):
    """The refresh watermark (a single row)."""

    last_case_id = models.BigIntegerField(default=0)
    last_updated_at = models.DateTimeField(null=True)
    built_at = models.DateTimeField(null=True)
    refreshed_at = models.DateTimeField(null=True)
    cases_refreshed = models.BigIntegerField(default=0)

    def __str__(self) -> str:
        return f"rollups up to case {self.last_case_id}"
