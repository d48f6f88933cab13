from django.core.management.base import BaseCommand

from cityhall.demo.loader import DEMO_PASSWORD, STAFF_DOMAIN, load_demo_city


class Command(BaseCommand):
    help = "Load the demo city (idempotent: running it again adds nothing)."

    def handle(self, *args: object, **options: object) -> None:
        report = load_demo_city()
        added = ", ".join(f"{n} {what}" for what, n in report.created.items() if n) or "nothing"
        self.stdout.write(f"Demo city loaded (added {added}).")
        self.stdout.write(
            f"\nDemo sign-ins (password for all: {DEMO_PASSWORD})\n"
            "  Resident:      resident@example.org\n"
            f"  City admin:    admin@{STAFF_DOMAIN}\n"
            f"  Auditor:       auditor@{STAFF_DOMAIN}\n"
            f"  311 agent:     agent.<department>@{STAFF_DOMAIN} (e.g. agent.transportation@...)\n"
            "  Staff sign-in asks for a two-step code: run `.venv/bin/cityhall demo_code`.\n"
        )
