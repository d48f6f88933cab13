from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from cityhall.insights.queries import scorecards

router = Router(tags=["insights"])


class MonthlyServiceLevel(Schema):
    month: str
    closed_in_time_pct: float | None
    closed_with_deadline: int
    median_days_to_close: float | None


class DepartmentScorecard(Schema):
    department: str
    code: str
    opened_last_30_days: int
    closed_last_30_days: int
    closed_in_time_pct_last_90_days: float | None
    median_days_to_close_last_90_days: float | None
    open_now: int
    overdue_now: int
    months: list[MonthlyServiceLevel]


@router.get(
    "/scorecard",
    response=list[DepartmentScorecard],
    auth=None,
    summary="Each department's service levels (the public scorecard, updated daily)",
)
def scorecard(request: HttpRequest) -> list[dict[str, Any]]:
    return [
        {
            "department": c.department,
            "code": c.code,
            "opened_last_30_days": c.opened_30,
            "closed_last_30_days": c.closed_30,
            "closed_in_time_pct_last_90_days": c.met_pct_90,
            "median_days_to_close_last_90_days": c.median_days_90,
            "open_now": c.open_now,
            "overdue_now": c.overdue_now,
            "months": [
                {
                    "month": row[0],
                    "closed_in_time_pct": row[1],
                    "closed_with_deadline": row[2],
                    "median_days_to_close": row[4],
                }
                for row in c.trend.rows
            ],
        }
        for c in scorecards()
    ]
