"""Nightly upkeep for suggestions; schedule it once a day (cron, systemd timer, PaaS
scheduler). It only enqueues: the worker forgets old or unconsented history first, then
trains on what is left."""

from django.core.management.base import BaseCommand

from cityhall.personalization.tasks import purge_events_task, train_suggestion_model_task


class Command(BaseCommand):
    help = "Enqueue the nightly suggestion upkeep: purge history, then train the model."

    def handle(self, *args: object, **options: object) -> None:
        purge_events_task.enqueue()
        train_suggestion_model_task.enqueue()
        self.stdout.write("Enqueued: purge suggestion history, train the suggestion model.")
