import pytest
from django.urls import reverse

from cityhall.org.models import Role
from cityhall.testing import make_department, make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("agent", 404),
        ("department_admin", 404),
        ("auditor", 200),
        ("city_admin", 200),
    ],
)
def test_matrix(client, who, expected):
    users = {
        "resident": make_resident(),
        "agent": make_staff(Role.AGENT),
        "department_admin": make_staff(Role.DEPARTMENT_ADMIN, make_department("parks", "Parks")),
        "auditor": make_staff(Role.AUDITOR),
        "city_admin": make_staff(Role.CITY_ADMIN),
    }
    if who != "anonymous":
        client.force_login(users[who])
    assert client.get(reverse("staff:audit")).status_code == expected


def test_auditor_finds_a_staff_read_and_resident_sees_it(client):
    resident = make_resident("watched@example.org")
    agent = make_staff(Role.AGENT, email="nosy.agent@city.example")
    client.force_login(agent)
    client.get(reverse("staff:resident_record", args=[resident.pk]))

    client.force_login(make_staff(Role.AUDITOR))
    page = client.get(reverse("staff:audit"), {"actor": "nosy", "kind": "read"})
    body = page.content.decode()
    assert "nosy.agent@city.example" in body and "watched@example.org" in body
    other = client.get(reverse("staff:audit"), {"actor": "someone-else"}).content.decode()
    assert "nosy.agent@city.example" not in other

    client.force_login(resident)
    history = client.get(reverse("accounts:privacy")).content.decode()
    assert "nosy.agent@city.example" in history


def test_bad_filter_is_a_field_error(client):
    client.force_login(make_staff(Role.AUDITOR))
    response = client.get(reverse("staff:audit"), {"since": "not-a-date"})
    assert response.status_code == 400
    assert "valid date" in response.content.decode()


@pytest.mark.parametrize("subject", ["²", "9" * 40, "'; DROP TABLE x; --"])
def test_odd_subject_filters_do_not_crash(client, subject):
    client.force_login(make_staff(Role.AUDITOR))
    assert client.get(reverse("staff:audit"), {"subject": subject}).status_code == 200
