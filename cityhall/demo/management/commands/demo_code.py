from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from cityhall.demo.loader import DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current two-step code shared by the demo staff accounts (demo only)."

    def handle(self, *args: object, **options: object) -> None:
        if not settings.DEBUG:
            raise CommandError("Only available in the demo (DEBUG=1).")
        import time

        from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

        counter = int(time.time()) // 30
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter)))
