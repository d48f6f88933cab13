"""Starter rules load once; the admin form only accepts real personas; city admins only."""

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command

from cityhall.audit.models import AuditEvent
from cityhall.org.models import Role
from cityhall.personalization.models import EligibilityRule
from cityhall.personalization.tests.factories import make_moving_catalog
from cityhall.testing import make_resident, make_service, make_staff

pytestmark = pytest.mark.django_db


def test_starter_rules_load_once_and_skip_missing_services():
    make_moving_catalog()
    make_service("homestead-tax-credit", "Homestead credit")
    call_command("personalization-rules")
    names = set(EligibilityRule.objects.values_list("name", flat=True))
    assert names == {"Senior property tax credit", "Homestead tax credit"}
    call_command("personalization-rules")
    assert EligibilityRule.objects.count() == 2


def test_rule_personas_must_be_known():
    catalog = make_moving_catalog()
    rule = EligibilityRule(
        service=catalog["tax"], name="x", reason_en="x", reason_es="x", personas=["age_over_65"]
    )
    with pytest.raises(ValidationError) as error:
        rule.full_clean()
    assert "personas" in error.value.error_dict


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("anonymous", "/admin/login/"),
        ("resident", "/admin/login/"),
        ("caseworker", "/admin/login/"),
        ("admin", "/admin/personalization/eligibilityrule/"),
    ],
)
def test_rules_in_the_city_admin(client, who, status):
    catalog = make_moving_catalog()
    users = {
        "resident": make_resident,
        "caseworker": lambda: make_staff(Role.CASEWORKER),
        "admin": lambda: make_staff(Role.CITY_ADMIN),
    }
    if who in users:
        client.force_login(users[who]())
    response = client.post(
        "/admin/personalization/eligibilityrule/add/",
        {
            "name": "Seniors",
            "service": catalog["tax"].pk,
            "reason_en": "you are 65 or over",
            "reason_es": "tiene 65 años o más",
            "personas": ["senior"],
            "is_active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"].startswith(status)
    assert EligibilityRule.objects.filter(name="Seniors").exists() is (who == "admin")
    if who == "admin":
        assert EligibilityRule.objects.get().personas == ["senior"]
        assert AuditEvent.objects.filter(action="admin.eligibilityrule.added").exists()
