"""Deliver messages: `cityhall notifications_worker` (run one or more, on any machine)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from cityhall.core.outbox import run_worker_loop
from cityhall.notifications.delivery import Deliverer, Housekeeping
from cityhall.notifications.models import Lane


class Command(BaseCommand):
    help = "Deliver queued notifications lane by lane (emergency, transactional, bulk)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--lanes",
            default="emergency,transactional,bulk",
            help="Comma-separated lanes this worker serves, most urgent first.",
        )
        parser.add_argument("--poll", type=float, default=0.2, help="Seconds between looks.")
        parser.add_argument("--once", action="store_true", help="Empty the queue, then stop.")

    def handle(self, *args: Any, **options: Any) -> None:
        names = {"emergency": Lane.EMERGENCY, "transactional": Lane.TRANSACTIONAL,
                 "bulk": Lane.BULK}  # fmt: skip
        lanes = tuple(names[n.strip()] for n in options["lanes"].split(",") if n.strip())
        deliverer = Deliverer()
        housekeeping = Housekeeping(deliverer)
        self.stdout.write(f"notifications worker {deliverer.token} serving {options['lanes']}")

        def step() -> int:
            housekeeping.run()
            return deliverer.run_once(lanes)

        try:
            run_worker_loop(step, poll=options["poll"], once=options["once"])
        finally:
            deliverer.close()
