import json

from cityhall.core.management.commands.openapi_schema import SCHEMA_PATH, current_schema


def test_committed_schema_matches_the_code():
    assert SCHEMA_PATH.read_text(encoding="utf-8") == current_schema(), (
        "Run `.venv/bin/cityhall openapi_schema` and commit docs/openapi.json"
    )


def test_schema_documents_me_endpoints():
    schema = json.loads(current_schema())
    assert "/api/v1/me/profiles" in schema["paths"]
    assert "post" in schema["paths"]["/api/v1/me/profiles"]
