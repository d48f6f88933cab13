import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from cityhall.accounts.models import Profile, User
from cityhall.cases.models import Case, ResolutionTime
from cityhall.catalog.models import ServiceType
from cityhall.demo.loader import DATA_DIR, load_demo_city
from cityhall.org.models import Department, Role, StaffMembership
from cityhall.places.models import Address, Neighbourhood

pytestmark = pytest.mark.django_db


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "profiles": Profile.objects.count(),
        "departments": Department.objects.count(),
        "service_types": ServiceType.objects.count(),
        "neighbourhoods": Neighbourhood.objects.count(),
        "addresses": Address.objects.count(),
        "memberships": StaffMembership.objects.count(),
        "cases": Case.objects.count(),
        "resolution_times": ResolutionTime.objects.count(),
    }


def test_demo_city_is_believable_and_loading_twice_duplicates_nothing(capsys):
    call_command("load_demo")
    first = counts()
    assert "resident@example.org" in capsys.readouterr().out
    assert first["departments"] >= 15
    assert first["service_types"] >= 231
    assert first["neighbourhoods"] >= 50
    assert first["addresses"] >= 1000
    residents = User.objects.filter(staff_memberships__isnull=True).count()
    assert 195 <= residents <= 205
    for department in Department.objects.all():
        roles = set(department.memberships.values_list("role", flat=True))
        assert {Role.AGENT, Role.CASEWORKER, Role.SUPERVISOR, Role.DEPARTMENT_ADMIN} <= roles
    assert Profile.objects.filter(language="es").exists()
    resident_primaries = Profile.objects.filter(
        is_primary=True, account__staff_memberships__isnull=True
    )
    assert all("resident" in p.personas for p in resident_primaries)

    from cityhall.catalog.models import Article, LifeEvent, Service

    assert Service.objects.count() >= 250
    assert Service.objects.values("department").distinct().count() >= 15
    assert Article.objects.count() >= 80
    assert LifeEvent.objects.count() >= 10
    assert all(e.steps.count() >= 3 for e in LifeEvent.objects.all())
    assert not Service.objects.filter(title_es="").exists()
    assert ServiceType.objects.filter(service__isnull=True).count() == 0

    # A queue to work and a history to learn expected dates from.
    assert Case.objects.filter(status="closed").count() >= 9000
    open_cases = Case.objects.exclude(status="closed")
    assert open_cases.count() == 80 and not open_cases.filter(department=None).exists()
    assert open_cases.filter(expected_by__isnull=False).count() >= 40
    assert open_cases.filter(due_at__lt=timezone.now()).exists(), "some are overdue"

    report = load_demo_city()
    assert not any(report.created.values())
    assert counts() == first


def test_addresses_sit_in_their_neighbourhood_polygon():
    from shapely.geometry import Point, shape

    from cityhall.demo.loader import LoadReport, load_reference_data

    load_reference_data(LoadReport())  # places only: the rest of the city is not needed here
    polygons = {n.pk: shape(n.boundary) for n in Neighbourhood.objects.all()}
    sample = Address.objects.exclude(neighbourhood=None).order_by("?")[:200]
    inside = sum(polygons[a.neighbourhood_id].covers(Point(a.lng, a.lat)) for a in sample)
    assert inside == len(sample)


def test_slice_is_small_and_documented():
    size = sum(p.stat().st_size for p in DATA_DIR.iterdir())
    assert size <= 5 * 1024 * 1024
    sources = (DATA_DIR / "SOURCES.md").read_text()
    assert "Baltimore" in sources and "licen" in sources.lower()
    assert "case_history.json" in sources
    types = json.loads((DATA_DIR / "service_types.json").read_text())
    assert all(t["name_es"] for t in types)
