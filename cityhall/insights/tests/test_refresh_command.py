"""`cityhall insights refresh` runs inline or leaves the work to the worker."""

import io
import json

import pytest
from django.core.management import call_command

from cityhall.insights.models import CaseFact, DailyRollup, RollupState
from cityhall.insights.tests.conftest import file_case

pytestmark = pytest.mark.django_db(transaction=True)


def test_refresh_inline_then_incrementally(cases):
    out = io.StringIO()
    call_command("insights", "refresh", stdout=out)
    first = json.loads(out.getvalue())
    assert first["full"] is True and first["cases"] == 6
    file_case("pothole")
    out = io.StringIO()
    call_command("insights", "refresh", stdout=out)
    second = json.loads(out.getvalue())
    assert second["full"] is False and second["cases"] >= 1
    assert CaseFact.objects.count() == 7
    assert sum(DailyRollup.objects.values_list("opened", flat=True)) == 7


def test_refresh_in_the_worker(cases, run_worker):
    call_command("insights", "refresh", "--enqueue", stdout=io.StringIO())
    assert not RollupState.objects.exists()
    run_worker()
    assert RollupState.objects.get().built_at is not None
    file_case("illegal-dumping", lat=39.331, lng=-76.605)
    call_command("insights", "refresh", "--enqueue", stdout=io.StringIO())
    run_worker()
    assert CaseFact.objects.count() == 7
