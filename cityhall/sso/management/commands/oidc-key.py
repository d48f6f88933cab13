import json
from typing import Any

from django.core.management.base import BaseCommand

from cityhall.sso import keys


class Command(BaseCommand):
    help = (
        "The provider's signing keys. `rotate` adds a key: published in the JWKS at once, "
        "signing after an hour; the old one stays published a day longer. `list` shows them."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["rotate", "list"])

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "rotate":
            path = keys.write_key()
            self.stdout.write(f"New signing key {path.name}")
        for entry in keys.key_entries():
            self.stdout.write(json.dumps({k: str(v) for k, v in entry.items() if k != "pem"}))
