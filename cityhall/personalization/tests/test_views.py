"""The HTML pages: For you, dismissing without JavaScript, the switch, declaring, journeys."""

import pytest

from cityhall.accounts.models import ConsentPurpose, Profile
from cityhall.accounts.queries import has_consent
from cityhall.catalog.models import LifeEventStep
from cityhall.org.models import Role
from cityhall.personalization import actions
from cityhall.personalization.models import DeclaredLifeEvent, Dismissal, StepDone
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_resident, make_staff

pytestmark = pytest.mark.django_db

PAGES = ["/for-you/", "/for-you/life-events/", "/for-you/journeys/moving-to-the-city/"]


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("who", ["anonymous", "resident", "staff"])
def test_pages_need_sign_in(client, url, who):
    make_moving_catalog()
    if who == "resident":
        client.force_login(make_resident())
    elif who == "staff":
        client.force_login(make_staff(Role.CASEWORKER))
    response = client.get(url)
    if who == "anonymous":
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    else:
        assert response.status_code == 200


def test_unknown_journey_is_404(client):
    make_moving_catalog()
    client.force_login(make_resident())
    assert client.get("/for-you/journeys/nope/").status_code == 404


def test_home_shows_for_you_with_reasons(client):
    make_moving_catalog()
    client.force_login(make_resident())
    page = client.get("/").content.decode()
    assert "For you" in page and "Popular in the city this month" in page


def test_dismiss_without_javascript_redirects_back(client):
    make_moving_catalog()
    ana = make_resident()
    client.force_login(ana)
    response = client.post("/for-you/dismiss/", {"key": "service:pothole-report", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    response = client.post(
        "/for-you/dismiss/", {"key": "service:pothole-report", "next": "https://evil.example/"}
    )
    assert response["Location"] == "/for-you/"
    assert Dismissal.objects.filter(profile__account=ana).count() == 1
    assert "Report a pothole" not in client.get("/").content.decode()


def test_dismiss_with_htmx_returns_the_new_list(client):
    make_moving_catalog()
    client.force_login(make_resident())
    response = client.post(
        "/for-you/dismiss/", {"key": "service:pothole-report", "next": "/"}, HTTP_HX_REQUEST="true"
    )
    body = response.content.decode()
    assert response.status_code == 200 and 'id="suggestions"' in body
    assert "Report a pothole" not in body and "Suggestion dismissed." in body


def test_dismiss_unknown_key_shows_a_message_and_changes_nothing(client):
    make_moving_catalog()
    client.force_login(make_resident())
    response = client.post("/for-you/dismiss/", {"key": "service:nope"}, follow=True)
    assert "There is no such suggestion." in response.content.decode()
    assert not Dismissal.objects.exists()


def test_switch_off_and_on(client):
    make_moving_catalog()
    ana = make_resident()
    consent(ana)
    client.force_login(ana)
    response = client.post("/for-you/personalisation/", {"granted": "0"}, follow=True)
    assert "Personal suggestions are off." in response.content.decode()
    assert not has_consent(ana, ConsentPurpose.PERSONALISATION)
    assert client.post("/for-you/personalisation/", {"granted": "yes"}).status_code == 302
    assert not has_consent(ana, ConsentPurpose.PERSONALISATION)
    client.post("/for-you/personalisation/", {"granted": "1"})
    assert has_consent(ana, ConsentPurpose.PERSONALISATION)


def test_declare_needs_a_choice_then_shows_the_journey(client):
    make_moving_catalog()
    ana = make_resident()
    client.force_login(ana)
    response = client.post("/for-you/life-events/", {})
    assert response.status_code == 400
    assert "Choose the life event you are going through." in response.content.decode()
    response = client.post("/for-you/life-events/", {"life_event": "winning-the-lottery"})
    assert response.status_code == 400
    response = client.post("/for-you/life-events/", {"life_event": "moving-to-the-city"})
    assert response["Location"] == "/for-you/journeys/moving-to-the-city/"
    page = client.get(response["Location"]).content.decode()
    assert "0 of 3 steps done" in page and "Mark as done" in page
    assert DeclaredLifeEvent.objects.filter(profile__account=ana).count() == 1


def test_mark_step_and_remove_journey(client):
    make_moving_catalog()
    ana = make_resident()
    profile = Profile.objects.get(account=ana)
    actions.declare_life_event(actor=ana, profile=profile, life_event_slug="moving-to-the-city")
    client.force_login(ana)
    step = LifeEventStep.objects.get(position=1)
    client.post("/for-you/journeys/moving-to-the-city/steps/", {"step": step.pk, "done": "1"})
    assert (
        "1 of 3 steps done" in client.get("/for-you/journeys/moving-to-the-city/").content.decode()
    )
    response = client.post(
        "/for-you/journeys/moving-to-the-city/steps/", {"step": "abc", "done": "1"}, follow=True
    )
    assert "That step is not part of this journey." in response.content.decode()
    assert client.post("/for-you/journeys/nope/steps/", {"step": 1, "done": "1"}).status_code == 404
    client.post("/for-you/journeys/moving-to-the-city/remove/")
    assert not DeclaredLifeEvent.objects.exists()
    assert StepDone.objects.count() == 1


def test_other_residents_journeys_are_not_shown(client):
    make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    actions.declare_life_event(
        actor=ana, profile=Profile.objects.get(account=ana), life_event_slug="moving-to-the-city"
    )
    client.force_login(ben)
    page = client.get("/for-you/").content.decode()
    assert "steps done" not in page
