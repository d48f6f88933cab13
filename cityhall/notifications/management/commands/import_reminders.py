"""Reminders from a department's data: `cityhall import_reminders FILE.csv`.

Columns: email, title, due_on (YYYY-MM-DD), days_before, link (optional), source_key (the
department's own id for this reminder: importing the same file again changes nothing).
Rows that cannot be used are reported by line and skipped; the rest are imported."""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cityhall.notifications.actions import schedule_reminder

REQUIRED = ("email", "title", "due_on", "days_before", "source_key")


class Command(BaseCommand):
    help = "Schedule reminders (renewals, appointments, bills) from a CSV file."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("file")

    def handle(self, *args: Any, **options: Any) -> None:
        users = get_user_model().objects
        try:
            handle = open(options["file"], newline="", encoding="utf-8")  # noqa: SIM115
        except OSError as unreadable:
            raise CommandError(f"Cannot read {options['file']}: {unreadable.strerror}") from None
        imported = skipped = 0
        with handle:
            reader = csv.DictReader(handle)
            missing = [c for c in REQUIRED if c not in (reader.fieldnames or [])]
            if missing:
                raise CommandError(f"Missing columns: {', '.join(missing)}")
            for line, row in enumerate(reader, start=2):
                problem = ""
                account = users.filter(email__iexact=(row["email"] or "").strip()).first()
                try:
                    due_on = dt.date.fromisoformat((row["due_on"] or "").strip())
                    days_before = int(row["days_before"])
                except ValueError:
                    problem = "due_on must be YYYY-MM-DD and days_before a whole number"
                if account is None and not problem:
                    problem = "no account with that email"
                if not problem:
                    try:
                        schedule_reminder(
                            actor=None, account=account, title=row["title"] or "",
                            due_on=due_on, days_before=days_before,
                            source_key=(row["source_key"] or "").strip()[:120],
                            link=(row.get("link") or "").strip()[:300],
                        )  # fmt: skip
                    except ValidationError as error:
                        problem = "; ".join(m for ms in error.message_dict.values() for m in ms)
                if problem:
                    skipped += 1
                    self.stderr.write(f"line {line}: {problem}")
                else:
                    imported += 1
        self.stdout.write(f"{imported} reminders scheduled, {skipped} rows skipped")
