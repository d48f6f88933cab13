import json
from typing import Any

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "Open data: `cityhall opendata publish` writes the anonymised datasets now and prints "
        "what it wrote; `--enqueue` leaves it to the worker instead (the daily cron line)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["publish"])
        parser.add_argument("--enqueue", action="store_true", help="Let the worker do it.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["enqueue"]:
            from cityhall.opendata.tasks import publish_open_data_task

            publish_open_data_task.enqueue()
            self.stdout.write("Enqueued: publish open data.")
            return
        from cityhall.opendata.actions import publish_open_data

        publication = publish_open_data(actor=None, trigger="command")
        self.stdout.write(
            json.dumps(
                {
                    "published_at": publication.published_at.isoformat(),
                    "rows": publication.rows,
                    "files": publication.files,
                }
            )
        )
