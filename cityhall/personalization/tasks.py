from django_tasks import task

from cityhall.personalization import actions


@task(queue_name="maintenance")
def train_suggestion_model_task() -> int:
    """Nightly: learn next steps and popularity from the consented event log."""
    return actions.train_suggestion_model().pk


@task(queue_name="maintenance")
def purge_events_task() -> int:
    """Nightly: forget history past the retention limit or without consent."""
    return actions.purge_events()
