from django_tasks import task

from cityhall.accounts import actions


@task(queue_name="maintenance")
def anonymise_account_task(request_id: int) -> bool:
    return actions.anonymise_account(request_id=request_id)
