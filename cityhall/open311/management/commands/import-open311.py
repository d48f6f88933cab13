import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from cityhall.open311.importer import ImportReport, import_open311_dump


class Command(BaseCommand):
    help = "Import an Open311 dump (JSON lines or JSON array, .gz or plain). Safe to re-run."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("file")

    def handle(self, *args: object, file: str = "", **options: object) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}")
        show = sys.stderr.isatty() or options.get("verbosity", 1) >= 1  # type: ignore[operator]

        def progress(done: float, report: ImportReport) -> None:
            if show:
                bar = "#" * int(done * 30)
                self.stderr.write(f"\r[{bar:<30}] {done:4.0%} {report.added:,} added", ending="")
                self.stderr.flush()

        report = import_open311_dump(actor=None, path=path, progress=progress)
        if show:
            self.stderr.write("")
        self.stdout.write(
            f"Read {report.read:,} requests: added {report.added:,}, already there "
            f"{report.skipped:,}, new request types {report.new_service_types}."
        )
