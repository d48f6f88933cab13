"""Opening a resident's record: who may, and that every opening is audited."""

import pytest
from django.urls import reverse

from cityhall.audit.models import AuditEvent, AuditKind
from cityhall.org.models import Role
from cityhall.testing import make_department, make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("who", "expected"),
    [
        ("anonymous", 302),
        ("resident", 404),
        ("other_resident", 404),
        ("auditor", 404),
        ("agent_other_department", 200),
        ("caseworker", 200),
        ("city_admin", 200),
    ],
)
def test_matrix(client, who, expected):
    resident = make_resident("subject@example.org")
    users = {
        "resident": resident,
        "other_resident": make_resident(),
        "auditor": make_staff(Role.AUDITOR),
        "agent_other_department": make_staff(Role.AGENT, make_department("parks", "Parks")),
        "caseworker": make_staff(Role.CASEWORKER),
        "city_admin": make_staff(Role.CITY_ADMIN),
    }
    if who != "anonymous":
        client.force_login(users[who])
    response = client.get(reverse("staff:resident_record", args=[resident.pk]))
    assert response.status_code == expected
    reads = AuditEvent.objects.filter(subject=resident, kind=AuditKind.READ)
    if expected == 200:
        assert "subject@example.org" in response.content.decode()
        event = reads.get()
        assert event.actor == users[who]
        assert event.action == "resident.record_viewed"
    else:
        assert not reads.exists()


def test_staff_records_are_not_resident_records(client):
    client.force_login(make_staff(Role.AGENT))
    colleague = make_staff(Role.CASEWORKER)
    assert client.get(reverse("staff:resident_record", args=[colleague.pk])).status_code == 404


def test_search_is_audited_because_it_shows_emails(client):
    make_resident("maria.lopez@example.org")
    agent = make_staff(Role.AGENT)
    client.force_login(agent)
    response = client.get(reverse("staff:resident_search"), {"q": "maria"})
    assert "maria.lopez@example.org" in response.content.decode()
    event = AuditEvent.objects.get(action="resident.searched")
    assert event.actor == agent and event.detail["query"] == "maria"
    short = client.get(reverse("staff:resident_search"), {"q": "m"})
    assert short.status_code == 400


def test_details_need_the_residents_sharing_consent(client):
    from cityhall.accounts import actions

    resident = make_resident("private@example.org", phone="4105550100")
    actions.create_profile(actor=resident, name="Grandma Secret")
    client.force_login(make_staff(Role.AGENT))
    url = reverse("staff:resident_record", args=[resident.pk])
    hidden = client.get(url).content.decode()
    assert "4105550100" not in hidden and "Grandma Secret" not in hidden
    assert "not agreed to share" in hidden
    actions.set_consent(actor=resident, purpose="sharing", granted=True)
    shown = client.get(url).content.decode()
    assert "4105550100" in shown and "Grandma Secret" in shown
    details = list(
        AuditEvent.objects.filter(action="resident.record_viewed").values_list("detail", flat=True)
    )
    assert sorted(d["shared_details"] for d in details) == [False, True]
