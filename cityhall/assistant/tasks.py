from django_tasks import task

from cityhall.assistant import actions


@task()
def forget_old_conversations_task(days: int = 90) -> int:
    return actions.forget_old_conversations(days=days)
