"""Shared fixtures: two departments, a few request types, cases filed through the real actions
in two neighbourhoods, some closed, one rated, one reopened, one overdue."""

import datetime as dt

import pytest
from django.utils import timezone

from cityhall.cases import actions as case_actions
from cityhall.cases.models import Case, Channel
from cityhall.org.models import Role
from cityhall.places.models import Neighbourhood
from cityhall.testing import (
    make_department,
    make_neighbourhood,
    make_request_type,
    make_resident,
    make_staff,
)


def file_case(code: str, *, channel: str = Channel.WEB, lat: float = 39.33, lng: float = -76.635,
              **extra: object) -> Case:  # fmt: skip
    case, _ = case_actions.submit_case(
        actor=None,
        service_code=code,
        description=str(extra.pop("description", "Something to fix")),
        channel=channel,
        lat=lat,
        lng=lng,
        **extra,  # type: ignore[arg-type]
    )
    case_actions.route_case(case_id=case.pk)
    return Case.objects.get(pk=case.pk)


@pytest.fixture
def city(db):
    transportation = make_department("transportation", "Transportation")
    parks = make_department("parks", "Parks")
    hampden = make_neighbourhood()
    square = [[-76.62, 39.32], [-76.59, 39.32], [-76.59, 39.34], [-76.62, 39.34], [-76.62, 39.32]]
    remington = Neighbourhood.objects.create(
        slug="remington",
        name="Remington",
        boundary={"type": "Polygon", "coordinates": [square]},
        centroid_lat=39.33,
        centroid_lng=-76.605,
    )
    pothole = make_request_type(department=transportation, sla_days=3)
    dumping = make_request_type(
        "illegal-dumping", department=parks, name_en="Illegal dumping", name_es="Vertido",
        sla_days=5,
    )  # fmt: skip
    return {
        "transportation": transportation,
        "parks": parks,
        "hampden": hampden,
        "remington": remington,
        "pothole": pothole,
        "dumping": dumping,
    }


@pytest.fixture
def cases(city):
    """Six cases: potholes in Hampden (two closed), dumping in Remington (one overdue)."""
    admin = make_staff(Role.CITY_ADMIN)
    filed = [
        file_case("pothole"),
        file_case("pothole", channel=Channel.PHONE),
        file_case("pothole", channel=Channel.SMS),
        file_case("illegal-dumping", lat=39.331, lng=-76.605),
        file_case("illegal-dumping", lat=39.3312, lng=-76.6052),
        file_case("illegal-dumping", lat=39.325, lng=-76.595, channel=Channel.EMAIL),
    ]
    case_actions.update_status(actor=admin, case=filed[0], status="closed", public_note="Fixed")
    case_actions.update_status(actor=admin, case=filed[1], status="resolved", public_note="Done")
    Case.objects.filter(pk=filed[1].pk).update(satisfaction=4)
    late = timezone.now() - dt.timedelta(days=2)
    Case.objects.filter(pk__in=[filed[3].pk, filed[4].pk]).update(due_at=late)
    return [Case.objects.get(pk=c.pk) for c in filed]


@pytest.fixture
def people(city):
    """Everyone in the authorization matrix."""
    return {
        "resident": make_resident(),
        "other_department": make_staff(Role.CASEWORKER, city["parks"]),
        "caseworker": make_staff(Role.CASEWORKER, city["transportation"]),
        "supervisor": make_staff(Role.SUPERVISOR, city["transportation"]),
        "auditor": make_staff(Role.AUDITOR),
        "admin": make_staff(Role.CITY_ADMIN),
    }
