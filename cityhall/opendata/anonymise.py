"""The rules that turn a case into a public record. Nothing personal leaves: no names, emails,
phone numbers, accounts or staff; free text only where the channel's description is public
(the same rule as Open311) and after screening; and for requests about a person or a home,
no address and a location coarsened to the centre of a ~500 m hexagon, 3 decimals."""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings

from cityhall.core.logging import scrub
from cityhall.insights import grid
from cityhall.open311.queries import PRIVATE_TEXT_CHANNELS

# A type is "about a person or a home" when its code or English name holds one of these words
# (Boston, Baltimore and NYC 311 type names), or its code is in OPEN_DATA_COARSEN_TYPES.
PERSON_OR_HOME_WORDS = (
    "encampment", "homeless", "welfare", "person", "people", "panhandl", "needle", "overdose",
    "noise", "neighbor", "neighbour", "housing", "home", "house", "residential", "tenant",
    "landlord", "apartment", "eviction", "heat", "mold", "rodent", "rat", "pest", "bed bug",
    "animal", "dog", "cat ", "domestic", "child", "elder", "senior", "harass", "disturbance",
    "squat", "vacant", "illegal occupancy", "boarding", "unsafe", "sanitation condition",
)  # fmt: skip
MAX_TEXT = 500
_WORD = re.compile(r"[\w'-]+")


def coarsen_types() -> frozenset[str]:
    return frozenset(getattr(settings, "OPEN_DATA_COARSEN_TYPES", ()))


def is_about_a_person_or_home(code: str, name_en: str) -> bool:
    if code in coarsen_types():
        return True
    text = f" {code.replace('-', ' ').lower()} {name_en.lower()} "
    return any(
        re.search(rf"\b{re.escape(word.strip())}", text) is not None
        for word in PERSON_OR_HOME_WORDS
    )


def coarse_point(lat: float | None, lng: float | None) -> tuple[float | None, float | None]:
    if lat is None or lng is None:
        return None, None
    c_lat, c_lng = grid.centre(grid.cell_for(lat, lng))
    return round(c_lat, 3), round(c_lng, 3)


def screened_text(text: str, channel: str, *, names: list[str]) -> str:
    """The description when its channel publishes descriptions, with emails, phone numbers
    and the requester's own name taken out; "" otherwise."""
    if channel in PRIVATE_TEXT_CHANNELS or not text:
        return ""
    text = scrub(text)
    for name in names:
        for word in _WORD.findall(name or ""):
            if len(word) >= 2:
                text = re.sub(rf"(?i)\b{re.escape(word)}\b", "[name]", text)
    # Long digit runs (house numbers with unit, account or plate numbers) go too.
    text = re.sub(r"\d{5,}", "[number]", text)
    return text[:MAX_TEXT]


def public_location(
    *, lat: float | None, lng: float | None, address: str, sensitive: bool
) -> dict[str, Any]:
    if lat is None or lng is None:
        return {"lat": None, "long": None, "address": "" if sensitive else address,
                "location_precision": "none"}  # fmt: skip
    if sensitive:
        c_lat, c_lng = coarse_point(lat, lng)
        return {"lat": c_lat, "long": c_lng, "address": "", "location_precision": "coarsened"}
    return {"lat": round(lat, 6), "long": round(lng, 6), "address": address,
            "location_precision": "exact"}  # fmt: skip
