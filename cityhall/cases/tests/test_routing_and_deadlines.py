"""Routing rules, working-day deadlines with holidays, expected dates, escalation."""

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from cityhall.cases import actions
from cityhall.cases.calendar import add_days
from cityhall.cases.models import Case, CaseEvent, CaseStatus, EventKind, Holiday, RoutingRule
from cityhall.org.models import Team
from cityhall.places.models import Neighbourhood

pytestmark = pytest.mark.django_db(transaction=True)
NY = zoneinfo.ZoneInfo("America/New_York")


def test_working_days_skip_weekends_and_holidays():
    friday = dt.datetime(2026, 11, 20, 15, 0, tzinfo=NY)
    assert add_days(friday, 1, working_days=True).date() == dt.date(2026, 11, 23)
    assert add_days(friday, 3, working_days=False).date() == dt.date(2026, 11, 23)
    thanksgiving = dt.date(2026, 11, 26)
    due = add_days(friday, 4, working_days=True, holidays=[thanksgiving])
    assert due.date() == dt.date(2026, 11, 27) and due.hour == 15
    saturday = dt.datetime(2026, 11, 21, 9, 0, tzinfo=NY)
    assert add_days(saturday, 1, working_days=True).date() == dt.date(2026, 11, 23)


def test_routing_deadline_counts_city_holidays(make_case, pothole_type):
    Holiday.objects.create(date=timezone.localdate() + dt.timedelta(days=1), name="Test day")
    case = make_case()
    plain = add_days(case.created_at, 3, working_days=True)
    with_holiday = add_days(
        case.created_at,
        3,
        working_days=True,
        holidays=[timezone.localdate() + dt.timedelta(days=1)],
    )
    assert case.due_at == with_holiday
    assert with_holiday >= plain


def test_most_specific_routing_rule_wins(make_case, pothole_type, transportation, parks):
    hampden = Neighbourhood.objects.get(name="Hampden")
    crews = Team.objects.create(department=transportation, name="North crews")
    RoutingRule.objects.create(neighbourhood=hampden, department=parks)
    RoutingRule.objects.create(
        service_type=pothole_type, neighbourhood=hampden, department=transportation, team=crews
    )
    RoutingRule.objects.create(service_type=pothole_type, department=parks)
    case = make_case()
    assert (case.department, case.team) == (transportation, crews)
    RoutingRule.objects.filter(team=crews).update(is_active=False)
    assert make_case().department == parks  # type-only beats area-only


def test_expected_date_comes_from_past_cases_and_says_which_percentile(make_case):
    # Twenty-five closed cases in this neighbourhood, taking 1..25 days.
    start = timezone.now() - dt.timedelta(days=60)
    for days in range(1, 26):
        past = make_case()
        Case.objects.filter(pk=past.pk).update(
            created_at=start, closed_at=start + dt.timedelta(days=days), status=CaseStatus.CLOSED
        )
    assert actions.rebuild_resolution_times() == 2  # city-wide and Hampden
    case = make_case()
    assert case.expected_quantile == 80
    expected = timezone.localtime(case.created_at + dt.timedelta(days=20.2)).date()
    assert abs((case.expected_by - expected).days) <= 1


def test_no_history_means_no_made_up_date(make_case):
    case = make_case()
    assert case.expected_by is None and case.expected_quantile is None


def test_escalation_runs_once_at_the_deadline(make_case):
    case = make_case()
    assert not actions.escalate_if_overdue(case_id=case.pk), "not due yet"
    later = case.due_at + dt.timedelta(minutes=1)
    assert actions.escalate_if_overdue(case_id=case.pk, now=later)
    assert not actions.escalate_if_overdue(case_id=case.pk, now=later), "only once"
    assert (
        CaseEvent.objects.filter(case=case, kind=EventKind.ESCALATION, is_public=False).count() == 1
    )


def test_closed_cases_are_not_escalated(make_case, people):
    case = make_case()
    actions.update_status(actor=people["caseworker"], case=case, status=CaseStatus.RESOLVED)
    assert not actions.escalate_if_overdue(case_id=case.pk, now=case.due_at + dt.timedelta(days=1))


def test_worker_escalates_from_the_scheduled_task(make_case, run_worker):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(due_at=timezone.now() - dt.timedelta(minutes=5))
    from cityhall.cases.tasks import escalate_case_task

    escalate_case_task.enqueue(case.pk)
    run_worker()
    case.refresh_from_db()
    assert case.escalated_at is not None


def test_sweep_catches_up_after_an_outage(make_case):
    cases = [make_case() for _ in range(3)]
    Case.objects.filter(pk__in=[c.pk for c in cases[:2]]).update(
        due_at=timezone.now() - dt.timedelta(hours=1)
    )
    assert actions.escalate_overdue_cases() == 2
    assert actions.escalate_overdue_cases() == 0
