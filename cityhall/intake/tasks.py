from django_tasks import task

from cityhall.intake import actions


@task()
def send_outbound_email_task(outbound_id: int) -> bool:
    return actions.send_outbound_email(outbound_id=outbound_id)
