"""Deliver "tell us once" webhooks: `cityhall webhooks_worker` (one or more, anywhere)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.core.outbox import run_worker_loop
from cityhall.sso.webhooks import WebhookWorker


class Command(BaseCommand):
    help = "Deliver signed webhooks to connected services, retrying until acknowledged."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--poll", type=float, default=0.2)
        parser.add_argument("--once", action="store_true", help="Empty the queue, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        worker = WebhookWorker()
        try:
            run_worker_loop(worker.run_once, poll=options["poll"], once=options["once"])
        finally:
            worker.close()
