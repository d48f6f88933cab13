"""A hexagon grid over the city, computed by the database and by Python alike (no H3).

Points are projected to metres with a fixed equirectangular projection (regular hexagons at
GRID_LATITUDE, slightly stretched elsewhere). Pointy-top hexagon centres form the union of
two rectangular lattices, A at (i·W, j·H) and B offset by half a cell both ways (W = √3·s,
H = 3·s for circumradius s); a point's hexagon is the nearer of its nearest A and B centres.
Both nearest centres are roundings, so SQL and Python agree exactly. A cell id packs the
doubled lattice indices (column, row) into one integer; 0 means "no location"."""

from __future__ import annotations

import math
from typing import Any

from django.db.models import (
    BigIntegerField,
    Case,
    ExpressionWrapper,
    F,
    FloatField,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Cast, Floor
from django.db.models.lookups import GreaterThanOrEqual

GRID_LATITUDE = 40.0
HEX_SIZE_M = 250.0
M_PER_DEG_LAT = 110_574.0
M_PER_DEG_LNG = 111_320.0 * math.cos(math.radians(GRID_LATITUDE))
W = math.sqrt(3) * HEX_SIZE_M
H = 3 * HEX_SIZE_M
OFFSET = 1 << 21
SHIFT = 1 << 22


def _pack(col: int, row: int) -> int:
    return (col + OFFSET) * SHIFT + (row + OFFSET)


def unpack(cell: int) -> tuple[int, int]:
    return cell // SHIFT - OFFSET, cell % SHIFT - OFFSET


def cell_for(lat: float, lng: float) -> int:
    a = lng * M_PER_DEG_LNG / W
    b = lat * M_PER_DEG_LAT / H
    ia, ja = math.floor(a + 0.5), math.floor(b + 0.5)
    ib, jb = math.floor(a), math.floor(b)
    da = ((a - ia) * W) ** 2 + ((b - ja) * H) ** 2
    db = ((a - ib - 0.5) * W) ** 2 + ((b - jb - 0.5) * H) ** 2
    if da <= db:
        return _pack(2 * ia, 2 * ja)
    return _pack(2 * ib + 1, 2 * jb + 1)


def centre(cell: int) -> tuple[float, float]:
    """(lat, lng) of a cell's centre."""
    col, row = unpack(cell)
    return row * H / 2 / M_PER_DEG_LAT, col * W / 2 / M_PER_DEG_LNG


def corners(cell: int) -> list[tuple[float, float]]:
    """The six (lat, lng) corners of a cell, clockwise from the top."""
    col, row = unpack(cell)
    x, y = col * W / 2, row * H / 2
    points = []
    for k in range(6):
        angle = math.radians(90 - 60 * k)
        points.append(
            (
                (y + HEX_SIZE_M * math.sin(angle)) / M_PER_DEG_LAT,
                (x + HEX_SIZE_M * math.cos(angle)) / M_PER_DEG_LNG,
            )
        )
    return points


def bounding_box(cell: int) -> tuple[float, float, float, float]:
    """(south, west, north, east) around a cell."""
    points = corners(cell)
    lats, lngs = [p[0] for p in points], [p[1] for p in points]
    return min(lats), min(lngs), max(lats), max(lngs)


def annotate_cell(queryset: QuerySet[Any], name: str = "cell") -> QuerySet[Any]:
    """queryset.annotate(name=<cell_for(lat, lng)>), computed by the database (0 without a
    location)."""
    real = FloatField()
    a = ExpressionWrapper(F("lng") * Value(M_PER_DEG_LNG / W), output_field=real)
    b = ExpressionWrapper(F("lat") * Value(M_PER_DEG_LAT / H), output_field=real)
    ia = Floor(a + Value(0.5), output_field=real)
    ja = Floor(b + Value(0.5), output_field=real)
    ib = Floor(a, output_field=real)
    jb = Floor(b, output_field=real)
    half = Value(0.5)

    def square(e: Any) -> Any:
        return ExpressionWrapper(e * e, output_field=real)

    da = square((a - ia) * Value(W)) + square((b - ja) * Value(H))
    db = square((a - ib - half) * Value(W)) + square((b - jb - half) * Value(H))
    shift, offset, two, one = (Value(float(v)) for v in (SHIFT, OFFSET, 2, 1))
    packed_a = (two * ia + offset) * shift + (two * ja + offset)
    packed_b = (two * ib + one + offset) * shift + (two * jb + one + offset)
    return queryset.annotate(
        **{
            name: Cast(
                Case(
                    When(Q(lat__isnull=True) | Q(lng__isnull=True), then=Value(0.0)),
                    When(GreaterThanOrEqual(db, da), then=packed_a),
                    default=packed_b,
                    output_field=real,
                ),
                BigIntegerField(),
            )
        }
    )
