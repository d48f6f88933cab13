"""Follow, reopen and rate from the public case page, for each kind of visitor."""

import pytest
from django.urls import reverse

from cityhall.cases import actions
from cityhall.cases.models import CaseStatus

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def closed_case(make_case, people):
    case = make_case(actor=people["resident"])
    actions.update_status(actor=people["caseworker"], case=case, status=CaseStatus.CLOSED)
    case.refresh_from_db()
    return case


@pytest.mark.parametrize(
    ("who", "rate_status", "form_shown"),
    [("anonymous", 302, False), ("other_resident", 403, False), ("resident", 302, True)],
)
def test_rating_matrix(client, people, closed_case, who, rate_status, form_shown):
    if who != "anonymous":
        client.force_login(people[who])
    page = client.get(reverse("cases:detail", args=[closed_case.reference])).content.decode()
    assert ("How did we do?" in page) == form_shown
    response = client.post(reverse("cases:rate", args=[closed_case.reference]), {"score": "5"})
    assert response.status_code == rate_status
    closed_case.refresh_from_db()
    assert (closed_case.satisfaction == 5) == (who == "resident")


def test_bad_rating_is_a_form_error(client, people, closed_case):
    client.force_login(people["resident"])
    response = client.post(reverse("cases:rate", args=[closed_case.reference]), {"score": "11"})
    assert response.status_code == 400 and "Select a valid choice" in response.content.decode()


def test_follow_toggle_and_reopen(client, people, closed_case):
    client.force_login(people["other_resident"])
    url = reverse("cases:follow", args=[closed_case.reference])
    assert client.post(url, {"follow": "1"}).status_code == 302
    assert closed_case.follows.filter(user=people["other_resident"]).exists()
    reopen = reverse("cases:reopen", args=[closed_case.reference])
    assert client.post(reopen, {"reason": ""}).status_code == 400
    assert client.post(reopen, {"reason": "Still there"}).status_code == 302
    closed_case.refresh_from_db()
    assert closed_case.status == CaseStatus.RECEIVED
    assert client.post(url, {"follow": "0"}).status_code == 302
    assert not closed_case.follows.filter(user=people["other_resident"]).exists()
    assert client.get(url).status_code == 405
