from django_tasks import task

from cityhall.cases import actions


@task()
def route_case_task(case_id: int) -> bool:
    return actions.route_case(case_id=case_id)


@task()
def escalate_case_task(case_id: int) -> bool:
    """Scheduled for the case's deadline (run_after); does nothing if it was met."""
    return actions.escalate_if_overdue(case_id=case_id)


@task()
def escalate_overdue_cases_task() -> int:
    return actions.escalate_overdue_cases()


@task()
def rebuild_resolution_times_task() -> int:
    return actions.rebuild_resolution_times()
