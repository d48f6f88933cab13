from django_tasks import task

from cityhall.cases import actions


@task()
def route_case_task(case_id: int) -> bool:
    return actions.route_case(case_id=case_id)
