"""Finding addresses and neighbourhoods in the city's own lists."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import QuerySet

from cityhall.places.models import Address, Neighbourhood

_SUFFIXES = {
    "STREET": "ST",
    "AVENUE": "AVE",
    "ROAD": "RD",
    "BOULEVARD": "BLVD",
    "DRIVE": "DR",
    "LANE": "LN",
    "PLACE": "PL",
    "COURT": "CT",
    "TERRACE": "TER",
    "PARKWAY": "PKWY",
    "CIRCLE": "CIR",
    "HIGHWAY": "HWY",
    "NORTH": "N",
    "SOUTH": "S",
    "EAST": "E",
    "WEST": "W",
}


def normalise_address(text: str) -> str:
    """Uppercase, drop punctuation and the city/state tail, abbreviate street words."""
    text = text.upper().split(",")[0]
    text = re.sub(r"[^A-Z0-9 ]+", " ", text)
    words = [_SUFFIXES.get(w, w) for w in text.split()]
    return " ".join(words)


def find_address(text: str) -> Address | None:
    normalised = normalise_address(text)
    if not normalised:
        return None
    return Address.objects.select_related("neighbourhood").filter(normalised=normalised).first()


def suggest_addresses(text: str, *, limit: int = 8) -> QuerySet[Address]:
    normalised = normalise_address(text)
    if len(normalised) < 3:
        return Address.objects.none()
    return Address.objects.select_related("neighbourhood").filter(
        normalised__startswith=normalised
    )[:limit]


@lru_cache(maxsize=1)
def _polygons() -> list[tuple[int, object]]:
    from shapely.geometry import shape
    from shapely.prepared import prep

    return [
        (n.pk, prep(shape(n.boundary)))
        for n in Neighbourhood.objects.only("pk", "boundary").order_by("pk")
    ]


def neighbourhood_for_point(lat: float, lng: float) -> Neighbourhood | None:
    from shapely.geometry import Point

    point = Point(lng, lat)
    for pk, polygon in _polygons():
        if polygon.contains(point):  # type: ignore[attr-defined]
            return Neighbourhood.objects.get(pk=pk)
    return None


def clear_caches() -> None:
    _polygons.cache_clear()
