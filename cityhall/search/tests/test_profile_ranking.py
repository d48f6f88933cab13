import pytest

from cityhall.accounts import actions as account_actions
from cityhall.search.models import LocalInterest
from cityhall.search.queries import profile_context, search_catalog
from cityhall.testing import fresh_search_index, make_address, make_resident, make_service

pytestmark = pytest.mark.django_db


def test_home_neighbourhood_and_personas_shape_results():
    general = make_service("parking-permit", "Parking permit", popularity=0.2)
    local = make_service("parking-complaint", "Parking complaint")
    senior = make_service("senior-parking", "Parking for seniors", personas=["senior"])
    address = make_address("3600 Falls Rd")
    LocalInterest.objects.create(neighbourhood=address.neighbourhood, service=local, lift=4.0)
    fresh_search_index()
    anonymous = [r.id for r in search_catalog("parking", record=False).results]
    assert anonymous[0] == general.pk

    user = make_resident()
    profile = user.profiles.get()
    account_actions.add_saved_address(actor=user, profile=profile, address_text="3600 Falls Rd")
    context = profile_context(profile)
    assert context["neighbourhood_id"] == address.neighbourhood_id
    mine = [r.id for r in search_catalog("parking", record=False, **context).results]
    assert mine[0] == local.pk

    account_actions.update_profile(actor=user, profile=profile, personas=["senior"])
    context = profile_context(profile)
    ranked = [r.id for r in search_catalog("parking", record=False, **context).results]
    assert ranked.index(senior.pk) < anonymous.index(senior.pk)
