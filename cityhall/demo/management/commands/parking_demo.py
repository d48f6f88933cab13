"""Launch the City Parking demo app, a separate OIDC client of City Hall.

This command is only a convenient launcher: the app it starts reads nothing from Django's
settings, database or request handling, exactly like a department's own app would not.
"""

import os
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cityhall.demo.parking.app import DEFAULT_SCOPES, make_app, serve


class Command(BaseCommand):
    help = (
        "Run City Parking, a tiny separate web app that signs residents in through City Hall "
        "with OpenID Connect (single sign-on demo). Serves until interrupted."
    )
    # A separate app: no Django system checks or migration checks to run first.
    requires_system_checks: list[str] = []
    requires_migrations_checks = False

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("--host", default="127.0.0.1", help="Interface to listen on.")
        parser.add_argument("--port", type=int, default=8001, help="Port to listen on.")
        parser.add_argument(
            "--issuer", required=True, help="City Hall's issuer URL, e.g. http://127.0.0.1:8000"
        )
        parser.add_argument("--client-id", required=True, help="The registered client id.")
        parser.add_argument(
            "--client-secret",
            default=os.environ.get("PARKING_CLIENT_SECRET"),
            help="The client secret (or set PARKING_CLIENT_SECRET to keep it out of `ps`).",
        )
        parser.add_argument(
            "--public-url",
            help="Where residents reach this app (default http://HOST:PORT); "
            "PUBLIC_URL/callback must be a registered redirect URI.",
        )
        parser.add_argument("--scopes", default=DEFAULT_SCOPES, help="Scopes to request.")
        parser.add_argument(
            "--webhook-secret",
            default=os.environ.get("PARKING_WEBHOOK_SECRET", ""),
            help="Checks City Hall's signed change notices at /webhooks/city.",
        )

    def handle(self, *args: object, **options: Any) -> None:
        if not options["client_secret"]:
            raise CommandError("Give --client-secret or set PARKING_CLIENT_SECRET.")
        host, port = str(options["host"]), int(options["port"])
        public_url = options["public_url"] or f"http://{host}:{port}"
        try:
            app = make_app(
                issuer=options["issuer"],
                client_id=options["client_id"],
                client_secret=options["client_secret"],
                public_url=public_url,
                scopes=options["scopes"],
                webhook_secret=options["webhook_secret"],
            )
        except ValueError as exc:
            raise CommandError(str(exc)) from exc

        def announce(address: str) -> None:
            self.stdout.write(
                f"City Parking listening on {address} (public URL {public_url}, "
                f"issuer {options['issuer']}); press Ctrl+C to stop."
            )
            self.stdout.flush()

        try:
            serve(host, port, app, on_ready=announce)
        except OSError as exc:
            raise CommandError(f"Could not listen on {host}:{port}: {exc}") from exc
        except KeyboardInterrupt:
            pass
