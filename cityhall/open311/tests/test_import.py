"""`cityhall import-open311`: real Boston records in, the same values back out through our API."""

import gzip
import io
import itertools
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from cityhall.cases.models import Case
from cityhall.catalog.models import ServiceType

pytestmark = pytest.mark.django_db

BOSTON = Path(__file__).resolve().parents[3].parent / "shared/data/boston-open311/requests.jsonl.gz"


@pytest.fixture
def sample(tmp_path):
    with gzip.open(BOSTON, "rt") as f:
        lines = list(itertools.islice(f, 300))
    path = tmp_path / "boston-sample.jsonl.gz"
    with gzip.open(path, "wt") as out:
        out.writelines(lines)
    return path, [json.loads(line) for line in lines]


def test_import_is_idempotent_and_round_trips(client, sample):
    path, records = sample
    call_command("import-open311", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Case.objects.count() == len(records)
    assert ServiceType.objects.filter(code=records[0]["service_code"]).exists()
    out = io.StringIO()
    call_command("import-open311", str(path), stdout=out, stderr=io.StringIO())
    assert "added 0" in out.getvalue()
    assert Case.objects.count() == len(records)

    original = records[0]
    ours = client.get(f"/open311/v2/requests/{original['service_request_id']}.json").json()[0]
    for field in (
        "service_request_id",
        "status",
        "status_notes",
        "service_code",
        "service_name",
        "requested_datetime",
        "updated_datetime",
        "address",
        "lat",
        "long",
    ):
        assert ours[field] == original[field], field  # fmt: skip


def test_json_array_and_plain_files_work_too(tmp_path, sample):
    _, records = sample
    path = tmp_path / "dump.json"
    path.write_text(json.dumps(records[:10]))
    call_command("import-open311", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert Case.objects.count() == 10


def test_missing_file_is_a_clear_error(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="No such file"):
        call_command("import-open311", str(tmp_path / "nope.json"))
