from django_tasks import task

from cityhall.search import actions


@task()
def refresh_search_index() -> int:
    return actions.bump_index_version()
