"""record_event and its hooks: history is kept only with consent, only for one's own profile."""

import pytest
from django.contrib.auth.models import AnonymousUser

from cityhall.accounts.models import Profile
from cityhall.personalization import actions
from cityhall.personalization.models import EngagementEvent, EventKind
from cityhall.personalization.tests.factories import consent, make_moving_catalog
from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def _primary(user):
    return Profile.objects.get(account=user, is_primary=True)


def test_nothing_is_kept_without_consent():
    catalog = make_moving_catalog()
    ana = make_resident()
    actions.record_service_view(actor=ana, profile=_primary(ana), service=catalog["water"])
    assert not EngagementEvent.objects.exists()


def test_kept_with_consent_and_stops_when_withdrawn():
    catalog = make_moving_catalog()
    ana = make_resident()
    consent(ana)
    actions.record_service_view(actor=ana, profile=_primary(ana), service=catalog["water"])
    actions.record_search(actor=ana, profile=_primary(ana), query="  parking permit  ")
    actions.record_search_click(
        actor=ana, profile=_primary(ana), doc_key=f"service:{catalog['permit'].pk}"
    )
    kinds = sorted(EngagementEvent.objects.values_list("kind", "query"))
    assert kinds == [
        (EventKind.CLICK, ""),
        (EventKind.SEARCH, "parking permit"),
        (EventKind.VIEW, ""),
    ]
    consent(ana, granted=False)
    actions.record_service_view(actor=ana, profile=_primary(ana), service=catalog["trash"])
    assert EngagementEvent.objects.count() == 3


def test_anonymous_and_someone_elses_profile_record_nothing():
    catalog = make_moving_catalog()
    ana, ben = make_resident(), make_resident()
    consent(ana)
    consent(ben)
    actions.record_service_view(actor=AnonymousUser(), profile=None, service=catalog["water"])
    actions.record_service_view(actor=ben, profile=_primary(ana), service=catalog["water"])
    assert not EngagementEvent.objects.exists()


def test_article_clicks_and_empty_searches_are_ignored():
    make_moving_catalog()
    ana = make_resident()
    consent(ana)
    actions.record_search_click(actor=ana, profile=_primary(ana), doc_key="article:3")
    actions.record_search(actor=ana, profile=_primary(ana), query="   ")
    assert not EngagementEvent.objects.exists()


def test_service_page_and_search_page_record_through_the_views(client):
    catalog = make_moving_catalog()
    ana = make_resident()
    consent(ana)
    client.force_login(ana)
    assert client.get(f"/services/{catalog['water'].slug}/").status_code == 200
    assert client.get("/search/", {"q": "water"}).status_code == 200
    assert sorted(EngagementEvent.objects.values_list("kind", flat=True)) == [
        EventKind.SEARCH,
        EventKind.VIEW,
    ]
