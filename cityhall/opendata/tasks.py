from django_tasks import task

from cityhall.opendata import actions


@task()
def publish_open_data_task() -> int:
    """Daily: write the open datasets again (the cron line enqueues it)."""
    return actions.publish_open_data(actor=None, trigger="worker").rows
