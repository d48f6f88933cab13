"""The standard's JSON schemas (../shared/specs/open311-georeport-v2), for response tests.

The spec folder holds one schema per resource (services, service definition, requests); the
POST answer and the token answer exist only as definitions inside its swagger.json, so those
are validated against `swagger.json#/definitions/...`. Errors have no schema in the spec; the
standard's text says "a list of errors, each with a code and a description", which ERRORS says.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft7Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT7

SPECS = Path(__file__).resolve().parents[3].parent / "shared" / "specs" / "open311-georeport-v2"

ERRORS = {
    "type": "array",
    "minItems": 1,
    "items": {
        "type": "object",
        "required": ["code", "description"],
        "properties": {"code": {"type": "integer"}, "description": {"type": "string"}},
        "additionalProperties": False,
    },
}


@cache
def _registry() -> Registry:
    resources = {
        p.name: Resource.from_contents(json.loads(p.read_text()), default_specification=DRAFT7)
        for p in SPECS.glob("*.json")
    }
    return Registry().with_resources(resources.items())


def validator(name: str) -> Draft7Validator:
    """A validator for one of the spec's schema files, e.g. "requests.json"."""
    return Draft7Validator(json.loads((SPECS / name).read_text()), registry=_registry())


def swagger_list_validator(definition: str) -> Draft7Validator:
    """A list of swagger.json's `definition` objects (the standard answers POST and tokens
    with a list of one)."""
    schema = {
        "type": "array",
        "minItems": 1,
        "items": {"$ref": f"swagger.json#/definitions/{definition}"},
    }
    return Draft7Validator(schema, registry=_registry())


def errors_validator() -> Draft7Validator:
    return Draft7Validator(ERRORS)
