from django_tasks import task

from cityhall.insights import actions


@task()
def refresh_rollups_task() -> int:
    """Bring the dashboard rollups up to date (the cron line enqueues it every few minutes;
    running it twice is harmless)."""
    return actions.refresh_rollups(actor=None).cases


@task()
def rebuild_rollups_task() -> int:
    return actions.rebuild_rollups(actor=None).cases
