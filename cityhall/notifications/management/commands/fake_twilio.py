"""Run the fake Twilio Messages API in the foreground, for development and load tests:
`cityhall fake_twilio --port 8031 --log var/fake-twilio.jsonl`."""

from __future__ import annotations

import contextlib
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from cityhall.notifications import fake_twilio


class Command(BaseCommand):
    help = "Serve a local fake of Twilio's Messages API until killed (see fake_twilio.py)."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        fake_twilio.add_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        fake = fake_twilio.from_options(options)

        def ready(fake: fake_twilio.FakeTwilio) -> None:
            self.stdout.write(fake_twilio.describe(fake))
            self.stdout.flush()

        with contextlib.suppress(KeyboardInterrupt):
            fake.serve_forever(on_ready=ready)
