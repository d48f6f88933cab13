"""Load the starter eligibility rules (idempotent); staff edit them in the city admin."""

from django.core.management.base import BaseCommand

from cityhall.personalization.actions import load_eligibility_rules


class Command(BaseCommand):
    help = "Create the starter eligibility rules that are not there yet."

    def handle(self, *args: object, **options: object) -> None:
        created = load_eligibility_rules()
        self.stdout.write(f"Eligibility rules created: {created}")
