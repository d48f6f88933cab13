from django_tasks import task

from cityhall.assistant import actions


@task()
def forget_old_conversations_task() -> int:
    return actions.forget_old_conversations()
