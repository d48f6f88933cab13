from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from cityhall.assistant import actions, nlu, queries


class Command(BaseCommand):
    help = (
        "`train` builds the assistant's intent model from the shipped examples and the "
        "published articles (done by `make demo` and deploys, so web processes only load it); "
        "`forget` deletes conversations idle for more than --days (default 90)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["train", "forget"])
        parser.add_argument("--days", type=int, default=settings.ASSISTANT_RETENTION_DAYS)

    def handle(self, *args: Any, **options: Any) -> None:
        if options["verb"] == "train":
            examples = nlu.training_examples(queries.published_articles())
            nlu.load_or_train(examples)
            self.stdout.write(
                f"Intent model for {len(examples)} examples in {nlu.model_dir()} "
                f"({nlu.fingerprint(examples)})."
            )
        else:
            removed = actions.forget_old_conversations(days=options["days"])
            self.stdout.write(f"Deleted {removed} rows of old conversations.")
