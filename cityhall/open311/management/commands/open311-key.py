from django.core.management.base import BaseCommand, CommandError

from cityhall.open311.actions import create_api_key


class Command(BaseCommand):
    help = "Manage Open311 API keys: `cityhall open311-key create NAME` prints a new key last."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("verb", choices=["create"])
        parser.add_argument("name")

    def handle(self, *args: object, verb: str = "", name: str = "", **options: object) -> None:
        if not name.strip():
            raise CommandError("Give the partner's name.")
        key, raw = create_api_key(actor=None, name=name)
        self.stdout.write(f"Created API key {key.prefix}… for {key.name}. Keep it secret:")
        self.stdout.write(raw)
