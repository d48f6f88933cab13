"""The everyday vocabulary the search app ships as ordinary, editable synonym groups."""

import pytest

from cityhall.search.models import SynonymGroup
from cityhall.search.queries import search_catalog
from cityhall.testing import fresh_search_index, make_service

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("query", "slug", "title"),
    [
        ("laid off", "job-help", "Help if you lost your job"),
        ("my bike was robbed", "police-report", "Report a theft to the police"),
        ("me robaron la bici", "police-report", "Report a theft to the police"),
        ("street racing every night", "speeding", "Report repeated speeding"),
    ],
)
def test_residents_everyday_words_find_the_service(query, slug, title):
    make_service(slug, title, is_published=True)
    make_service("pothole", "Report a pothole", is_published=True)
    fresh_search_index()
    results = search_catalog(query, record=False).results
    assert results and results[0].title == title


def test_staff_can_switch_a_shipped_group_off():
    make_service("speeding", "Report repeated speeding", is_published=True)
    group = next(g for g in SynonymGroup.objects.all() if "street racing" in g.terms)
    group.is_active = False
    group.save()
    fresh_search_index()
    assert not search_catalog("street racing", record=False).results
