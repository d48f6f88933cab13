"""Nightly upkeep for service requests; schedule it once a day (cron, systemd timer, PaaS
scheduler). It only enqueues: the worker does the work, so a slow night never blocks a web
process, and running it twice is harmless (both tasks are idempotent)."""

from django.core.management.base import BaseCommand

from cityhall.cases.tasks import escalate_overdue_cases_task, rebuild_resolution_times_task


class Command(BaseCommand):
    help = "Enqueue the nightly case upkeep: learn resolution times, catch up on escalations."

    def handle(self, *args: object, **options: object) -> None:
        rebuild_resolution_times_task.enqueue()
        escalate_overdue_cases_task.enqueue()
        self.stdout.write("Enqueued: rebuild resolution times, escalate overdue cases.")
