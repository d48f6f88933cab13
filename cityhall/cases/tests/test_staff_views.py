"""The staff console pages: who may open them, what they show, and a fixed query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from cityhall.audit.models import AuditEvent
from cityhall.cases.models import Case, CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)

QUEUE_MATRIX = [
    ("anonymous", 302),
    ("resident", 404),
    ("other_resident", 404),
    ("auditor", 404),
    ("other_department", 200),
    ("caseworker", 200),
]


@pytest.mark.parametrize(("who", "status"), QUEUE_MATRIX)
def test_queue_access(client, people, make_case, who, status):
    case = make_case()
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(reverse("cases:queue"))
    assert response.status_code == status
    if status == 200:
        shown = case.reference in response.content.decode()
        assert shown == (who == "caseworker"), "a queue shows only the person's departments"


@pytest.mark.parametrize(
    ("who", "status"),
    [("anonymous", 302), ("resident", 404), ("other_resident", 404), ("auditor", 404),
     ("other_department", 404), ("caseworker", 200), ("supervisor", 200)],
)  # fmt: skip
def test_case_page_access(client, people, make_case, who, status):
    case = make_case(contact_email="caller@example.org")
    if who != "anonymous":
        client.force_login(people[who])
    response = client.get(reverse("cases:staff_case", args=[case.reference]))
    assert response.status_code == status
    if status == 200:
        assert "caller@example.org" in response.content.decode()
        assert AuditEvent.objects.filter(
            action="case.contact_viewed", actor=people[who], case_reference=case.reference
        ).exists(), "every look at a resident's contact details is audited"


def test_queue_query_count_does_not_grow_with_the_page(client, people, make_case):
    client.force_login(people["caseworker"])
    make_case()
    client.get(reverse("cases:queue"))  # warm per-process caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(reverse("cases:queue")).status_code == 200
    for _ in range(12):
        make_case()
    with CaptureQueriesContext(connection) as many:
        response = client.get(reverse("cases:queue"))
    assert response.content.decode().count("/staff/cases/20") >= 13
    assert len(many) == len(few)


def test_queue_filters_and_bad_filters(client, people, make_case):
    client.force_login(people["caseworker"])
    open_case, done = make_case(), make_case()
    Case.objects.filter(pk=done.pk).update(status=CaseStatus.CLOSED)
    page = client.get(reverse("cases:queue")).content.decode()
    assert open_case.reference in page and done.reference not in page
    page = client.get(reverse("cases:queue"), {"status": "closed"}).content.decode()
    assert done.reference in page and open_case.reference not in page
    bad = client.get(reverse("cases:queue"), {"status": "<script>", "department": "abc"})
    assert bad.status_code == 400 and b"<script>" not in bad.content


def test_working_a_case_through_its_page(client, people, make_case):
    case = make_case()
    client.force_login(people["caseworker"])
    url = reverse("cases:staff_case", args=[case.reference])
    response = client.post(url, {"op": "status", "status": "scheduled", "public_note": "Tuesday"})
    assert response.status_code == 302
    response = client.post(url, {"op": "note", "text": ""})
    assert response.status_code == 400 and "This field is required." in response.content.decode()
    client.post(url, {"op": "note", "text": "Needs a big plate"})
    client.post(url, {"op": "assign", "assignee": people["caseworker"].pk})
    case.refresh_from_db()
    assert case.status == "scheduled" and case.assignee == people["caseworker"]
    public = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "Tuesday" in public and "Needs a big plate" not in public
    assert client.post(url, {"op": "explode"}).status_code == 404


def test_bulk_from_the_queue(client, people, make_case):
    cases = [make_case(), make_case()]
    client.force_login(people["caseworker"])
    response = client.post(
        reverse("cases:bulk"),
        {"selected": [c.reference for c in cases], "action": "assign_me", "public_note": ""},
    )
    assert response.status_code == 302
    assert Case.objects.filter(assignee=people["caseworker"]).count() == 2


def test_phone_agent_files_for_a_known_caller(client, people, make_case):
    resident = people["resident"]
    earlier = make_case(actor=resident)
    client.force_login(people["caseworker"])
    page = client.get(reverse("cases:phone_intake"), {"caller": resident.email}).content.decode()
    assert earlier.reference in page
    assert AuditEvent.objects.filter(action="resident.caller_lookup").exists()
    response = client.post(
        reverse("cases:phone_intake"),
        {
            "service_code": "pothole",
            "description": "Caller says the hole is back",
            "address": "3600 Falls Rd",
            "caller": resident.pk,
            "channel": "phone",
            "idempotency_key": "call-1",
        },
    )
    assert response.status_code == 302
    case = Case.objects.get(description="Caller says the hole is back")
    assert case.channel == "phone" and case.requester == resident
    assert case.events.first().actor == people["caseworker"]


def test_imported_cases_without_a_place_still_show(client, people, make_case):
    case = make_case()
    Case.objects.filter(pk=case.pk).update(neighbourhood=None, address_text="")
    client.force_login(people["caseworker"])
    response = client.get(reverse("cases:queue"))
    assert response.status_code == 200 and case.reference in response.content.decode()


def test_staff_file_what_they_found_themselves(client, people, make_case):
    client.force_login(people["caseworker"])
    response = client.post(
        reverse("cases:phone_intake"),
        {"service_code": "pothole", "description": "Seen on patrol", "address": "3600 Falls Rd",
         "channel": "internal", "idempotency_key": "patrol-1"},
    )  # fmt: skip
    assert response.status_code == 302
    case = Case.objects.get(description="Seen on patrol")
    assert case.channel == "internal" and case.requester is None


def test_a_hidden_caller_id_cannot_file_for_staff_or_strangers(client, people, make_case):
    client.force_login(people["caseworker"])
    for caller in (people["supervisor"].pk, 10**9):
        client.post(
            reverse("cases:phone_intake"),
            {"service_code": "pothole", "description": f"For {caller}", "channel": "phone",
             "address": "3600 Falls Rd", "caller": caller},
        )  # fmt: skip
        assert Case.objects.get(description=f"For {caller}").requester is None


def test_merge_into_an_unknown_number_is_a_field_error(client, people, make_case):
    case = make_case()
    client.force_login(people["supervisor"])
    response = client.post(
        reverse("cases:staff_case", args=[case.reference]), {"op": "merge", "into": "1999-1"}
    )
    assert response.status_code == 400
    assert "No request with that number" in response.content.decode()


def test_transfer_returns_to_the_queue(client, people, make_case, parks):
    case = make_case()
    client.force_login(people["caseworker"])
    response = client.post(
        reverse("cases:staff_case", args=[case.reference]),
        {"op": "transfer", "department": parks.pk, "reason": ""},
    )
    assert response.status_code == 302 and response["Location"] == reverse("cases:queue")


def test_nearby_ignores_impossible_points(client, pothole_type):
    for lat, lng in (("inf", "0"), ("nan", "1"), ("95", "0")):
        response = client.get(reverse("cases:nearby", args=["pothole"]), {"lat": lat, "lng": lng})
        assert response.status_code == 200


def test_a_double_click_writes_one_update(client, people, make_case):
    from cityhall.cases.models import CaseEvent, EventKind

    case = make_case()
    client.force_login(people["caseworker"])
    url = reverse("cases:staff_case", args=[case.reference])
    page = client.get(url)
    once = page.context["once"]
    for _ in range(2):
        client.post(url, {"op": "note", "text": "Checked it", "once": once})
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).count() == 1
    client.post(url, {"op": "note", "text": "Checked again", "once": "another"})
    assert CaseEvent.objects.filter(case=case, kind=EventKind.NOTE).count() == 2
