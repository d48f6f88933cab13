import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Dashboard rollups: `cityhall insights refresh` adds the cases that are new or changed "
        "since the last refresh (`--full` rebuilds everything); `--enqueue` leaves it to the "
        "worker instead (the cron line, every 5 to 15 minutes)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["refresh"])
        parser.add_argument("--full", action="store_true", help="Rebuild from every case.")
        parser.add_argument("--enqueue", action="store_true", help="Let the worker do it.")

    def handle(self, *args: Any, **options: Any) -> None:
        from cityhall.insights import actions, tasks

        if options["enqueue"]:
            task = tasks.rebuild_rollups_task if options["full"] else tasks.refresh_rollups_task
            task.enqueue()
            self.stdout.write("Enqueued: insights rollups.")
            return
        report = (actions.rebuild_rollups if options["full"] else actions.refresh_rollups)(
            actor=None
        )
        self.stdout.write(
            json.dumps({"full": report.full, "cases": report.cases, "seconds": report.seconds})
        )
