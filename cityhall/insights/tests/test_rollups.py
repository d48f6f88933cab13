"""The rollups: a full build and incremental refreshes agree, and follow cases that change."""

import datetime as dt

from django.utils import timezone

from cityhall.cases import actions as case_actions
from cityhall.cases.models import Case, Channel
from cityhall.insights import actions, grid
from cityhall.insights.models import (
    BacklogRollup,
    CaseFact,
    DailyRollup,
    HexBacklog,
    HexRollup,
    MonthlyAreaRollup,
    MonthlyRollup,
    MonthlyTypeRollup,
    RollupState,
)
from cityhall.insights.tests.conftest import file_case
from cityhall.org.models import Role
from cityhall.testing import make_staff


def snapshot() -> dict[str, set]:
    def rows(model, exclude=("id",)):
        names = [f.attname for f in model._meta.fields if f.attname not in exclude]
        return {
            tuple(r) for r in model.objects.values_list(*names) if not all(v == 0 for v in r[-1:])
        }

    return {
        "daily": rows(DailyRollup),
        "monthly": rows(MonthlyRollup),
        "monthly_type": rows(MonthlyTypeRollup),
        "monthly_area": rows(MonthlyAreaRollup),
        "backlog": rows(BacklogRollup),
        "hex": rows(HexRollup),
        "hexbacklog": rows(HexBacklog),
        "facts": rows(CaseFact, exclude=()),
    }


def test_full_build_counts_each_case_once(cases):
    report = actions.rebuild_rollups()
    assert report.full and report.cases == 6
    totals = DailyRollup.objects.values_list("opened", "closed", "satisfaction_count")
    assert sum(t[0] for t in totals) == 6
    assert sum(t[1] for t in totals) == 2
    assert sum(t[2] for t in totals) == 1
    assert sum(BacklogRollup.objects.values_list("open", flat=True)) == 4
    assert sum(HexRollup.objects.values_list("opened", flat=True)) == 6
    channels = DailyRollup.objects.values_list("ch_web", "ch_phone", "ch_sms", "ch_email")
    assert [sum(c[i] for c in channels) for i in range(4)] == [3, 1, 1, 1]


def test_incremental_refresh_matches_a_full_build(cases, city):
    actions.rebuild_rollups()
    admin = make_staff(Role.CITY_ADMIN)
    # New cases, a close, a reopen, a transfer to another neighbourhood and a rating.
    file_case("pothole", channel=Channel.API)
    file_case("illegal-dumping", lat=39.3311, lng=-76.6051)
    case_actions.update_status(actor=admin, case=cases[3], status="closed", public_note="Gone")
    case_actions.update_status(actor=admin, case=cases[0], status="in_progress", public_note="")
    Case.objects.filter(pk=cases[2].pk).update(
        neighbourhood=city["remington"], updated_at=timezone.now()
    )
    report = actions.refresh_rollups()
    assert not report.full and report.cases >= 5
    incremental = snapshot()
    actions.rebuild_rollups()
    assert incremental == snapshot()
    assert sum(BacklogRollup.objects.values_list("open", flat=True)) == 6  # 4 + 2 - 1 + 1


def test_refresh_with_nothing_new_changes_nothing(cases):
    actions.rebuild_rollups()
    before = snapshot()
    RollupState.objects.update(last_updated_at=timezone.now() + dt.timedelta(hours=1))
    report = actions.refresh_rollups()
    assert report.cases == 0 and snapshot() == before


def test_first_refresh_builds_everything(cases):
    report = actions.refresh_rollups()
    assert report.full and CaseFact.objects.count() == 6


def test_the_database_and_python_put_points_in_the_same_hexagon(cases):
    actions.rebuild_rollups()
    for case in Case.objects.all():
        fact = CaseFact.objects.get(case_id=case.pk)
        assert fact.cell == grid.cell_for(case.lat, case.lng)
    near = {CaseFact.objects.get(case_id=c.pk).cell for c in cases[3:5]}
    assert len(near) == 1, "two reports 25 m apart share a hexagon"


def test_hexagons_tile_the_plane():
    import random

    rng = random.Random(3)
    for _ in range(2000):
        lat, lng = 39.2 + rng.random() * 0.2, -76.7 + rng.random() * 0.2
        cell = grid.cell_for(lat, lng)
        c_lat, c_lng = grid.centre(cell)
        # The point is no farther from its cell's centre than the hexagon's circumradius.
        dy = (lat - c_lat) * grid.M_PER_DEG_LAT
        dx = (lng - c_lng) * grid.M_PER_DEG_LNG
        assert (dx * dx + dy * dy) ** 0.5 <= grid.HEX_SIZE_M + 1e-6
        assert grid.cell_for(c_lat, c_lng) == cell
