"""Read one raw email from stdin and file it (for an MTA pipe, e.g. in /etc/aliases:
`311: "|/srv/cityhall/.venv/bin/cityhall intake-email --site-url https://city.example"`)."""

from __future__ import annotations

import sys
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from cityhall.intake import actions
from cityhall.intake.mail import MAX_EMAIL_BYTES

EX_DATAERR = 65  # sysexits.h: the mail server bounces the message with our reason


class Command(BaseCommand):
    help = "File one inbound email, read from standard input, as a case (or a reply to one)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--site-url",
            default="",
            help="Public address of this site, for the case link in the confirmation email.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        raw = sys.stdin.buffer.read(MAX_EMAIL_BYTES + 1)
        try:
            result = actions.receive_email(actor=None, raw=raw, site_url=options["site_url"])
        except ValidationError as error:
            problems = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise CommandError(f"Rejected: {problems}", returncode=EX_DATAERR) from None
        suffix = " (already received)" if result.duplicate else ""
        self.stdout.write(f"{result.outcome} {result.reference}".strip() + suffix)
