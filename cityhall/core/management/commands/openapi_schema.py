import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

SCHEMA_PATH = settings.PROJECT_DIR / "docs" / "openapi.json"


def current_schema() -> str:
    from cityhall.api import api

    return json.dumps(api.get_openapi_schema(), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


class Command(BaseCommand):
    help = "Write the OpenAPI schema to docs/openapi.json, or --check that it is up to date."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--check", action="store_true")
        parser.add_argument("--path", default=str(SCHEMA_PATH))

    def handle(self, *args: object, check: bool = False, path: str = "", **options: object) -> None:
        target = Path(path)
        schema = current_schema()
        if check:
            committed = target.read_text(encoding="utf-8") if target.exists() else ""
            if committed != schema:
                raise CommandError(
                    f"{target} is out of date with the API code. "
                    "Run `.venv/bin/cityhall openapi_schema` and commit the result."
                )
            self.stdout.write("OpenAPI schema is up to date.")
            return
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(schema, encoding="utf-8")
        self.stdout.write(f"Wrote {target}")
