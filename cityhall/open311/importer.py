"""Streaming import of Open311 GeoReport v2 dumps (JSON lines or a JSON array, gzip or plain)."""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from django.db import connection, transaction
from django.utils.dateparse import parse_datetime
from django.utils.text import slugify

from cityhall.audit.actions import record_write
from cityhall.cases.models import Case, CaseStatus, Channel
from cityhall.catalog.models import ServiceType
from cityhall.org.models import Department

BATCH = 5000
COLUMNS = [
    "reference", "service_type_id", "status", "channel", "description", "address_text", "lat",
    "lng", "contact_email", "status_notes", "media_url", "source", "created_at", "updated_at",
    "closed_at", "department_id", "answers", "contact_phone", "contact_name", "reopened_count",
]  # fmt: skip


@dataclass
class ImportReport:
    read: int = 0
    added: int = 0
    skipped: int = 0
    new_service_types: int = 0


def _open(path: Path) -> tuple[IO[bytes], IO[bytes]]:
    raw = path.open("rb")
    head = raw.read(2)
    raw.seek(0)
    stream: Any = gzip.GzipFile(fileobj=raw) if head == b"\x1f\x8b" else raw
    return raw, stream


def _records(stream: IO[bytes]) -> Iterator[dict[str, Any]]:
    text = io.TextIOWrapper(stream, encoding="utf-8")
    try:
        first = ""
        while not first:
            ch = text.read(1)
            if not ch:
                return
            first = ch.strip()
        if first == "[":  # a JSON array is read whole; JSON lines stream
            yield from json.loads("[" + text.read())
            return
        buffered = first + text.readline()
        if buffered.strip():
            yield json.loads(buffered)
        for line in text:
            if line.strip():
                yield json.loads(line)
    finally:
        text.detach()  # the caller owns (and closes) the underlying file


def _number(value: Any) -> float | None:
    try:
        return float(value) if value is not None and value != "" else None
    except (TypeError, ValueError):
        return None


def _when(value: Any) -> Any:
    return parse_datetime(value) if isinstance(value, str) and value else None


def import_open311_dump(
    *, actor: Any, path: Path, progress: Callable[[float, ImportReport], None] | None = None
) -> ImportReport:
    """Idempotent by service_request_id: a second run adds nothing. Unknown services become
    request types with the same code, so the cases come back out of our API unchanged."""
    report = ImportReport()
    source = f"import:{path.name}"[:100]
    known = set(Case.objects.exclude(reference=None).values_list("reference", flat=True))
    types = {
        code: (pk, department_id)
        for code, pk, department_id in ServiceType.objects.values_list(
            "code", "pk", "department_id"
        )
    }
    department, _ = Department.objects.get_or_create(
        code="customer-service",
        defaults={"name_en": "311 Customer Service", "name_es": "Servicio al cliente 311"},
    )
    raw, stream = _open(path)
    size = max(path.stat().st_size, 1)
    pending: list[tuple[Any, ...]] = []
    adapt = connection.ops.adapt_datetimefield_value
    table = Case._meta.db_table
    # Table and column names are our own constants; every value goes through parameters.
    sql = (
        f"INSERT INTO {table} ({', '.join(COLUMNS)}) "  # noqa: S608
        f"VALUES ({', '.join(['%s'] * len(COLUMNS))}) ON CONFLICT DO NOTHING"
    )

    def flush() -> None:
        # Plain executemany: the ORM's per-field preparation costs more than the insert itself
        # at this size. ON CONFLICT keeps the import idempotent even against a racing run.
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.executemany(sql, pending)
        report.added += len(pending)
        pending.clear()
        if progress:
            progress(raw.tell() / size, report)

    try:
        for record in _records(stream):
            report.read += 1
            external_id = str(record.get("service_request_id") or "").strip()[:20]
            if not external_id or external_id in known:
                report.skipped += 1
                continue
            known.add(external_id)
            code = slugify(str(record.get("service_code") or "unknown"))[:100] or "unknown"
            if code not in types:
                name = str(record.get("service_name") or code)[:200]
                types[code] = (
                    ServiceType.objects.create(
                        code=code, name_en=name, name_es=name, department=department, source=source
                    ).pk,
                    department.pk,
                )
                report.new_service_types += 1
            requested = _when(record.get("requested_datetime"))
            if requested is None:
                report.skipped += 1
                continue
            updated = _when(record.get("updated_datetime")) or requested
            closed = record.get("status") == "closed"
            pending.append(
                (
                    external_id,
                    types[code][0],
                    CaseStatus.CLOSED.value if closed else CaseStatus.RECEIVED.value,
                    Channel.OPEN311.value,
                    str(record.get("description") or "")[:4000],
                    str(record.get("address") or "")[:200],
                    _number(record.get("lat")),
                    _number(record.get("long")),
                    "",
                    str(record.get("status_notes") or "")[:1000],
                    str(record.get("media_url") or "")[:500],
                    source,
                    adapt(requested),
                    adapt(updated),
                    adapt(updated) if closed else None,
                    types[code][1],
                    "{}",
                    "",
                    "",
                    0,
                )
            )
            if len(pending) >= BATCH:
                flush()
        if pending:
            flush()
    finally:
        raw.close()
    if report.added:
        # Fresh statistics so the query planner knows the new shape of the table (SQLite has
        # none until told; PostgreSQL's autovacuum would get there, later).
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")
    record_write(
        actor=actor,
        action="open311.imported",
        summary=f"Imported {report.added} requests from {path.name} ({report.skipped} known)",
        detail={"read": report.read, "added": report.added, "types": report.new_service_types},
    )
    return report
