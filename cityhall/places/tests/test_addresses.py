import pytest

from cityhall.places.queries import (
    find_address,
    neighbourhood_for_point,
    normalise_address,
    suggest_addresses,
)
from cityhall.testing import make_address, make_neighbourhood

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3600 Falls Road", "3600 FALLS RD"),
        ("3600 falls rd., Baltimore, MD 21211", "3600 FALLS RD"),
        ("  12 North  Avenue ", "12 N AVE"),
    ],
)
def test_normalise(typed, expected):
    assert normalise_address(typed) == expected


def test_find_and_suggest():
    make_address("3600 Falls Rd")
    make_address("3601 Falls Rd")
    assert find_address("3600 FALLS ROAD").line == "3600 Falls Rd"
    assert find_address("3602 Falls Rd") is None
    assert [a.line for a in suggest_addresses("3600 fal")] == ["3600 Falls Rd"]
    assert list(suggest_addresses("36")) == []


def test_point_in_neighbourhood():
    hampden = make_neighbourhood()
    assert neighbourhood_for_point(39.33, -76.63) == hampden
    assert neighbourhood_for_point(40.0, -70.0) is None


def test_public_suggestion_api(client):
    make_address("3600 Falls Rd")
    response = client.get("/api/v1/places/addresses", {"q": "3600 falls"})
    assert response.status_code == 200
    assert response.json()[0]["neighbourhood"] == "Hampden"
    assert client.get("/api/v1/places/addresses").status_code == 422
