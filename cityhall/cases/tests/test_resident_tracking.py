"""Residents following a case: follow/unfollow, reopen within the window, rate once."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from cityhall.cases import actions, queries
from cityhall.cases.models import Case, CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)


def test_follow_and_unfollow(make_case, people):
    case = make_case()
    resident = people["resident"]
    assert actions.follow_case(actor=resident, case=case)
    assert not actions.follow_case(actor=resident, case=case), "following twice is one follow"
    assert case in queries.cases_for_resident(resident)
    assert actions.unfollow_case(actor=resident, case=case)
    assert case not in queries.cases_for_resident(resident)


def test_reopen_within_the_window_by_the_requester(make_case, people, settings):
    case = make_case(actor=people["resident"])
    actions.update_status(actor=people["caseworker"], case=case, status=CaseStatus.CLOSED)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.reopen_case(actor=people["other_resident"], case=case, reason="still there")
    with pytest.raises(ValidationError):
        actions.reopen_case(actor=people["resident"], case=case, reason="  ")
    actions.reopen_case(actor=people["resident"], case=case, reason="Still a hole")
    case.refresh_from_db()
    assert case.status == CaseStatus.RECEIVED and case.reopened_count == 1
    assert case.closed_at is None and case.due_at > timezone.now()


def test_no_reopen_after_the_window(make_case, people, settings):
    case = make_case(actor=people["resident"])
    actions.update_status(actor=people["caseworker"], case=case, status=CaseStatus.CLOSED)
    Case.objects.filter(pk=case.pk).update(
        closed_at=timezone.now() - dt.timedelta(days=settings.CASE_REOPEN_DAYS + 1)
    )
    case.refresh_from_db()
    assert not queries.can_reopen(people["resident"], case)
    with pytest.raises(PermissionDenied):
        actions.reopen_case(actor=people["resident"], case=case, reason="again")


def test_rate_once_when_closed(make_case, people):
    case = make_case(actor=people["resident"])
    with pytest.raises(PermissionDenied):
        actions.rate_case(actor=people["resident"], case=case, score=5)  # still open
    actions.update_status(actor=people["caseworker"], case=case, status=CaseStatus.CLOSED)
    case.refresh_from_db()
    with pytest.raises(PermissionDenied):
        actions.rate_case(actor=people["other_resident"], case=case, score=1)
    with pytest.raises(ValidationError):
        actions.rate_case(actor=people["resident"], case=case, score=9)
    actions.rate_case(actor=people["resident"], case=case, score=4)
    case.refresh_from_db()
    assert case.satisfaction == 4
    with pytest.raises(PermissionDenied):
        actions.rate_case(actor=people["resident"], case=case, score=5)


def test_nearby_open_cases_of_the_same_type(make_case, people):
    near = make_case()
    far = make_case(address_text="", lat=39.3335, lng=-76.6330)
    done = make_case()
    actions.update_status(actor=people["caseworker"], case=done, status=CaseStatus.CLOSED)
    found = queries.nearby_open_cases(near.service_type_id, near.lat, near.lng, radius_m=100)
    assert near in found and done not in found
    assert far not in found
