import os

import pytest
from django.core.management import call_command

# Playwright's sync API runs an event loop in the test thread; Django's ORM guard would
# otherwise refuse the database calls tests make alongside it.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def run_worker():
    """Run the real django-tasks-db worker until the queue is empty."""

    def run() -> None:
        call_command(
            "db_worker",
            batch=True,
            startup_delay=False,
            interval=0.05,
            reload=False,
            queue_name="*",
            verbosity=0,
        )

    return run


@pytest.fixture(autouse=True)
def _fresh_caches():
    from django.core.cache import cache

    from cityhall.places.queries import clear_caches

    cache.clear()
    clear_caches()
    yield
