"""Finding addresses and neighbourhoods in the city's own lists."""

from __future__ import annotations

import re
from functools import lru_cache

from django.db.models import QuerySet

from cityhall.core.ttlcache import TTLCache
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


# Every report looks one up; the list changes rarely (a city admin's edit shows within a minute).
_found_addresses: TTLCache[Address] = TTLCache(seconds=60)


def find_address(text: str) -> Address | None:
    normalised = normalise_address(text)
    if not normalised:
        return None
    # The neighbourhood's name and id, not its boundary polygon (decoding it cost a POST 1 ms).
    return _found_addresses.get_or_load(
        normalised,
        lambda: (
            Address.objects.select_related("neighbourhood")
            .defer("neighbourhood__boundary")
            .filter(normalised=normalised)
            .first()
        ),
    )


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


MAP_WIDTH = 600


@lru_cache(maxsize=1)
def city_map() -> dict[str, object]:
    """Neighbourhood outlines as SVG paths in an equirectangular projection scaled for the
    city's latitude: the report form's offline map (no tiles, no CDN)."""
    import math

    rings = []
    for n in Neighbourhood.objects.only("slug", "name", "boundary").order_by("name"):
        geometry = n.boundary or {}
        polygons = geometry.get("coordinates", [])
        if geometry.get("type") == "Polygon":
            polygons = [polygons]
        rings.append((n, [poly[0] for poly in polygons if poly]))
    points = [pt for _, polys in rings for ring in polys for pt in ring]
    if not points:
        return {"paths": [], "width": MAP_WIDTH, "height": 0, "bounds": [0, 0, 0, 0]}
    min_lng, max_lng = min(p[0] for p in points), max(p[0] for p in points)
    min_lat, max_lat = min(p[1] for p in points), max(p[1] for p in points)
    stretch = math.cos(math.radians((min_lat + max_lat) / 2))
    scale = MAP_WIDTH / max((max_lng - min_lng) * stretch, 1e-9)
    height = round((max_lat - min_lat) * scale)

    def xy(pt: list[float]) -> str:
        return f"{(pt[0] - min_lng) * stretch * scale:.1f},{(max_lat - pt[1]) * scale:.1f}"

    paths = [
        {
            "slug": n.slug,
            "name": n.name,
            "d": " ".join("M" + " L".join(xy(pt) for pt in ring) + "Z" for ring in polys),
        }
        for n, polys in rings
    ]
    return {
        "paths": paths,
        "width": MAP_WIDTH,
        "height": height,
        "bounds": [min_lng, min_lat, max_lng, max_lat],
        "stretch": stretch,
        "scale": scale,
    }


def map_point(lat: float, lng: float) -> tuple[float, float] | None:
    """Where a point falls on city_map(), for drawing a pin on the server-rendered map."""
    m = city_map()
    bounds = m["bounds"]
    assert isinstance(bounds, list)
    if not m["paths"]:
        return None
    stretch, scale = float(m["stretch"]), float(m["scale"])  # type: ignore[arg-type]
    return (lng - bounds[0]) * stretch * scale, (bounds[3] - lat) * scale


def clear_caches() -> None:
    _polygons.cache_clear()
    _found_addresses.clear()
    city_map.cache_clear()
