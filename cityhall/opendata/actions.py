"""Publishing the open datasets: anonymised service requests as CSV, JSON and GeoJSON, written
to OPEN_DATA_DIR (each file replaced whole, so a reader never sees half a file)."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.cases.models import Case
from cityhall.opendata.anonymise import is_about_a_person_or_home, public_location, screened_text
from cityhall.opendata.dictionary import COLUMNS, DATASET_SLUG, FIELD_NAMES
from cityhall.opendata.models import Publication
from cityhall.opendata.queries import open_data_dir

CHUNK = 5000


def _iso(value: dt.datetime | None) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def public_records() -> Iterator[dict[str, Any]]:
    """Every case as a public record (see anonymise.py for the rules)."""
    from cityhall.catalog.models import ServiceType
    from cityhall.org.models import Department
    from cityhall.places.models import Neighbourhood

    types = {
        t.pk: (t.code, t.name_en, is_about_a_person_or_home(t.code, t.name_en))
        for t in ServiceType.objects.only("pk", "code", "name_en")
    }
    departments = dict(Department.objects.values_list("pk", "name_en"))
    areas = dict(Neighbourhood.objects.values_list("pk", "name"))
    rows = (
        Case.objects.order_by("pk")
        .values_list(
            "pk",
            "reference",
            "service_type_id",
            "department_id",
            "status",
            "channel",
            "created_at",
            "updated_at",
            "closed_at",
            "due_at",
            "reopened_count",
            "neighbourhood_id",
            "address_text",
            "lat",
            "lng",
            "description",
            "contact_name",
            "requester__first_name",
            "requester__last_name",
        )  # fmt: skip
        .iterator(chunk_size=CHUNK)
    )
    for (pk, reference, type_id, department_id, status, channel, created, updated, closed,
         due, reopened, area_id, address, lat, lng, description, contact_name, first,
         last) in rows:  # fmt: skip
        code, name, sensitive = types.get(type_id, ("", "", True))
        is_closed = status in ("resolved", "closed")
        if closed is None:
            is_closed = False
        record = {
            "service_request_id": reference or f"X{pk}",
            "service_code": code,
            "service_name": name,
            "department": departments.get(department_id, ""),
            "status": status,
            "channel": channel,
            "requested_datetime": _iso(created),
            "updated_datetime": _iso(updated),
            "closed_datetime": _iso(closed) if is_closed else "",
            "expected_datetime": _iso(due),
            "closed_in_time": (closed <= due) if closed and is_closed and due else None,
            "days_to_close": round((closed - created).total_seconds() / 86400, 1)
            if closed and is_closed
            else None,
            "reopened": bool(reopened),
            "neighbourhood": areas.get(area_id, ""),
            **public_location(lat=lat, lng=lng, address=address, sensitive=sensitive),
            "description": ""
            if sensitive
            else screened_text(description, channel, names=[contact_name, first, last]),
        }
        yield record


class _Output:
    """A file written through a temporary file in the same folder, renamed over the target
    when complete, so a reader never sees half a file."""

    def __init__(self, target: Path) -> None:
        self.target = target
        handle, self.temporary = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.")
        self.file = os.fdopen(handle, "w", encoding="utf-8", newline="")
        self.rows = 0

    def finish(self) -> dict[str, Any]:
        self.file.close()
        digest = hashlib.sha256()
        with open(self.temporary, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                digest.update(block)
        os.chmod(self.temporary, 0o644)
        os.replace(self.temporary, self.target)
        return {"bytes": self.target.stat().st_size, "sha256": digest.hexdigest(),
                "rows": self.rows}  # fmt: skip

    def discard(self) -> None:
        self.file.close()
        Path(self.temporary).unlink(missing_ok=True)


def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value  # never a spreadsheet formula
    return value


def _write_all(folder: Path) -> dict[str, dict[str, Any]]:
    """One pass over the cases, written to the CSV, JSON and GeoJSON files at once."""
    names = {
        "csv": f"{DATASET_SLUG}.csv",
        "json": f"{DATASET_SLUG}.json",
        "geojson": f"{DATASET_SLUG}.geojson",
        "dictionary": f"{DATASET_SLUG}-dictionary.csv",
    }
    outputs = {kind: _Output(folder / name) for kind, name in names.items()}
    try:
        table = csv.DictWriter(outputs["csv"].file, fieldnames=FIELD_NAMES)
        table.writeheader()
        outputs["json"].file.write("[")
        outputs["geojson"].file.write('{"type": "FeatureCollection", "features": [')
        for record in public_records():
            table.writerow({k: _csv_value(v) for k, v in record.items()})
            out = outputs["json"]
            out.file.write(
                ("," if out.rows else "") + "\n" + json.dumps(record, ensure_ascii=False)
            )
            out.rows += 1
            outputs["csv"].rows += 1
            if record["lat"] is not None:
                feature = {
                    "type": "Feature",
                    "id": record["service_request_id"],
                    "geometry": {"type": "Point", "coordinates": [record["long"], record["lat"]]},
                    "properties": {k: v for k, v in record.items() if k not in ("lat", "long")},
                }
                out = outputs["geojson"]
                out.file.write(
                    ("," if out.rows else "") + "\n" + json.dumps(feature, ensure_ascii=False)
                )
                out.rows += 1
        outputs["json"].file.write("\n]\n")
        outputs["geojson"].file.write("\n]}\n")
        dictionary = csv.writer(outputs["dictionary"].file)
        dictionary.writerow(["field", "type", "description"])
        for name, kind, meaning in COLUMNS:
            dictionary.writerow([name, kind, str(meaning)])
        outputs["dictionary"].rows = len(COLUMNS)
    except BaseException:
        for output in outputs.values():
            output.discard()
        raise
    return {names[kind]: output.finish() for kind, output in outputs.items()}


def publish_open_data(*, actor: Any = None, trigger: str = "command") -> Publication:
    """Write every dataset file again and record the publication. Files are written before
    the record: a crash in between leaves new files and the previous record, never a record
    that points at missing files."""
    from django.utils import translation

    folder = open_data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    with translation.override("en"):
        files = _write_all(folder)
    with transaction.atomic():
        publication = Publication.objects.create(
            published_at=timezone.now(),
            rows=files[f"{DATASET_SLUG}.csv"]["rows"],
            files=files,
            trigger=trigger,
        )
        keep = list(Publication.objects.order_by("-pk").values_list("pk", flat=True)[:30])
        Publication.objects.exclude(pk__in=keep).delete()
    return publication
