import time

from django.core.management.base import BaseCommand

from cityhall.search.actions import bump_index_version
from cityhall.search.index import build_engine


class Command(BaseCommand):
    help = "Rebuild the search index: every web process picks up the new version within a second."

    def handle(self, *args: object, **options: object) -> None:
        started = time.perf_counter()
        engine = build_engine()  # fails loudly here, not in a web process, if content is broken
        version = bump_index_version()
        self.stdout.write(
            f"Search index v{version}: {len(engine.docs)} documents, "
            f"{len(engine.postings)} terms, built in {time.perf_counter() - started:.2f}s."
        )
