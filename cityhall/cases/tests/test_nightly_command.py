"""`cityhall cases-nightly` hands the upkeep to the worker, which does it."""

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.cases.models import Case, CaseStatus, ResolutionTime

pytestmark = pytest.mark.django_db(transaction=True)


def test_nightly_upkeep_runs_in_the_worker(make_case, run_worker):
    late = make_case()
    Case.objects.filter(pk=late.pk).update(due_at=timezone.now() - dt.timedelta(hours=2))
    done = make_case()
    Case.objects.filter(pk=done.pk).update(
        status=CaseStatus.CLOSED, closed_at=done.created_at + dt.timedelta(hours=5)
    )
    out = io.StringIO()
    call_command("cases-nightly", stdout=out)
    assert "Enqueued" in out.getvalue()
    assert not ResolutionTime.objects.exists(), "nothing happens in the command itself"
    run_worker()
    late.refresh_from_db()
    assert late.escalated_at is not None
    assert ResolutionTime.objects.filter(neighbourhood__isnull=True, sample_size=1).exists()
