import pytest

from cityhall.audit.models import AuditEvent
from cityhall.org.models import Department, Role
from cityhall.testing import make_staff

pytestmark = pytest.mark.django_db


def test_city_admin_adds_department_and_it_is_audited(client):
    admin = make_staff(Role.CITY_ADMIN, email="chief@city.example")
    client.force_login(admin)
    response = client.post(
        "/admin/org/department/add/",
        {"code": "libraries", "name_en": "Libraries", "name_es": "Bibliotecas", "is_active": "on"},
    )
    assert response.status_code == 302
    assert Department.objects.filter(code="libraries").exists()
    event = AuditEvent.objects.get(action="admin.department.added")
    assert event.actor_label == "chief@city.example"


def test_department_admin_cannot_use_city_admin(client):
    client.force_login(make_staff(Role.DEPARTMENT_ADMIN))
    response = client.get("/admin/org/department/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
