"""Shared fixtures for the cases tests: a pothole type in Transportation, and the people."""

import pytest

from cityhall.org.models import Role
from cityhall.testing import (
    make_department,
    make_request_type,
    make_resident,
    make_staff,
)


@pytest.fixture
def transportation():
    return make_department("transportation", "Transportation")


@pytest.fixture
def pothole_type(transportation):
    return make_request_type(department=transportation)


@pytest.fixture
def parks():
    return make_department("parks", "Parks")


@pytest.fixture
def people(transportation, parks):
    """Everyone in the authorization matrix."""
    return {
        "resident": make_resident(),
        "other_resident": make_resident(),
        "other_department": make_staff(Role.CASEWORKER, parks),
        "caseworker": make_staff(Role.CASEWORKER, transportation),
        "supervisor": make_staff(Role.SUPERVISOR, transportation),
        "auditor": make_staff(Role.AUDITOR),
    }


@pytest.fixture
def make_case(pothole_type):
    """File a case through the action and route it synchronously (as the worker would)."""
    from cityhall.cases import actions
    from cityhall.cases.models import Case, Channel

    counter = iter(range(10_000))

    def make(**overrides):
        fields = {
            "actor": None,
            "service_code": "pothole",
            "description": f"Hole number {next(counter)}",
            "channel": Channel.WEB,
            "address_text": "3600 Falls Rd",
        } | overrides
        case, _ = actions.submit_case(**fields)
        actions.route_case(case_id=case.pk)
        return Case.objects.get(pk=case.pk)

    return make
