from django_tasks import task

from cityhall.notifications import actions


@task()
def enqueue_campaign_task(campaign_id: int) -> int:
    """Writes a campaign's messages (a million rows take seconds, so not in the request)."""
    return actions.enqueue_campaign(campaign_id=campaign_id)
