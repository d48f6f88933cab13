"""Staff with the right role see one resident's whole picture, only with the resident's
sharing consent, and every look is audited."""

import pytest
from allauth.idp.oidc.models import Client

from cityhall.accounts.models import ConsentRecord
from cityhall.audit.models import AuditEvent
from cityhall.org.models import Role
from cityhall.sso import actions
from cityhall.sso.models import ConsentGrant
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def resident():
    person = make_resident()
    client = Client.objects.create(name="City Parking")
    actions.register_service(
        actor=None,
        name="City Parking",
        client=client,
        webhook_url="https://parking.example/hook",
        allowed_fields=["name"],
    )
    ConsentGrant.objects.create(user=person, client=client, scopes=["openid", "profile"])
    actions.tell_services(
        actor=person,
        kind="name",
        data={"name": "New Name"},
        service_ids=[client.connected_service.pk],
    )
    return person


@pytest.mark.parametrize(
    ("role", "status"), [(None, 404), (Role.CASEWORKER, 200), (Role.AGENT, 200)]
)
def test_only_staff_with_a_resident_data_role_open_it(client, resident, role, status):
    viewer = make_resident() if role is None else make_staff(role)
    client.force_login(viewer)
    assert client.get(f"/staff/residents/{resident.pk}/").status_code == status


def test_the_single_view_needs_the_residents_sharing_consent_and_is_audited(client, resident):
    agent = make_staff(Role.AGENT)
    client.force_login(agent)
    url = f"/staff/residents/{resident.pk}/"
    without = client.get(url).content.decode()
    assert "City Parking" not in without and "not agreed to share" in without
    ConsentRecord.objects.create(
        account=resident, purpose="sharing", granted=True, text_version="v1"
    )
    page = client.get(url).content.decode()
    assert "Connected services" in page and "City Parking" in page
    assert "New name" in page  # the change passed on, and to whom
    reads = AuditEvent.objects.filter(
        actor=agent, subject=resident, action="resident.record_viewed"
    )
    assert reads.count() == 2
    assert "single view" in reads.order_by("-id").first().summary
