from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from cityhall.places.queries import suggest_addresses

router = Router(tags=["places"])


class AddressSuggestion(Schema):
    line: str
    postcode: str
    lat: float
    lng: float
    neighbourhood: str | None


class AddressQuery(Schema):
    q: str


@router.get(
    "/addresses",
    response=list[AddressSuggestion],
    auth=None,
    summary="Addresses in the city's list that start with what was typed",
)
def addresses(request: HttpRequest, filters: Query[AddressQuery]) -> list[dict[str, Any]]:
    return [
        {
            "line": a.line,
            "postcode": a.postcode,
            "lat": a.lat,
            "lng": a.lng,
            "neighbourhood": a.neighbourhood.name if a.neighbourhood else None,
        }
        for a in suggest_addresses(filters.q[:200])
    ]
