"""Checking and cleaning photos residents attach: real images only, within size, re-encoded
so no camera metadata (owner name, device serial, exact location) is ever served."""

from __future__ import annotations

import io
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from PIL import ExifTags, Image, ImageOps, UnidentifiedImageError

ACCEPTED = {
    "JPEG": ("jpg", "image/jpeg"),
    "PNG": ("png", "image/png"),
    "WEBP": ("webp", "image/webp"),
}
MAX_PIXELS = 40_000_000  # refuse decompression bombs before decoding
LONGEST_SIDE = 2000


@dataclass
class PreparedPhoto:
    content: bytes
    extension: str
    content_type: str
    width: int
    height: int
    exif_lat: float | None
    exif_lng: float | None


def _degrees(value: Any, ref: str) -> float | None:
    try:
        d, m, s = (float(x) for x in value)
    except (TypeError, ValueError, ZeroDivisionError):
        return None
    result = d + m / 60 + s / 3600
    return -result if ref in ("S", "W") else result


def exif_location(image: Image.Image) -> tuple[float | None, float | None]:
    gps = image.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    if not gps:
        return None, None
    lat = _degrees(
        gps.get(ExifTags.GPS.GPSLatitude), str(gps.get(ExifTags.GPS.GPSLatitudeRef, "N"))
    )
    lng = _degrees(
        gps.get(ExifTags.GPS.GPSLongitude), str(gps.get(ExifTags.GPS.GPSLongitudeRef, "E"))
    )
    if lat is None or lng is None or not (-90 <= lat <= 90 and -180 <= lng <= 180):
        return None, None
    return lat, lng


def prepare_photo(upload: IO[bytes], *, size: int | None = None) -> PreparedPhoto:
    limit = settings.CASE_PHOTO_MAX_BYTES
    if size is not None and size > limit:
        raise ValidationError(
            _("Photos must be %(mb)d MB or smaller.") % {"mb": limit // (1024 * 1024)}
        )
    data = upload.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("Photos must be %(mb)d MB or smaller.") % {"mb": limit // (1024 * 1024)}
        )
    not_image = _("That file is not a photo we can read. Use a JPEG, PNG or WebP image.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            kind = probe.format or ""
            if kind not in ACCEPTED or probe.width * probe.height > MAX_PIXELS:
                raise ValidationError(not_image)
            probe.verify()
        image: Image.Image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, Image.DecompressionBombError):
        raise ValidationError(not_image) from None
    lat, lng = exif_location(image)
    image = ImageOps.exif_transpose(image)  # keep it upright once the metadata is gone
    image.thumbnail((LONGEST_SIDE, LONGEST_SIDE))
    extension, content_type = ACCEPTED[kind]
    if kind == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    out = io.BytesIO()
    image.save(out, format=kind, quality=85) if kind != "PNG" else image.save(out, format=kind)
    return PreparedPhoto(
        content=out.getvalue(),
        extension=extension,
        content_type=content_type,
        width=image.width,
        height=image.height,
        exif_lat=lat,
        exif_lng=lng,
    )
