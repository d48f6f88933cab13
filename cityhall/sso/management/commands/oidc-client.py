import json
from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from cityhall.sso.actions import create_client


class Command(BaseCommand):
    help = (
        "Register a department app with the city's OpenID Connect provider: "
        "`cityhall oidc-client create --name N --redirect-uri URI` prints its client id and "
        "secret as JSON (the secret is shown only this once)."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("verb", choices=["create"])
        parser.add_argument("--name", required=True)
        parser.add_argument("--redirect-uri", action="append", required=True, dest="redirect_uris")
        parser.add_argument(
            "--post-logout-redirect-uri", action="append", default=[], dest="logout_uris",
            help="Where the app may send residents after signing out (RP-initiated logout).",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, secret = create_client(
                actor=None,
                name=options["name"],
                redirect_uris=options["redirect_uris"],
                post_logout_redirect_uris=options["logout_uris"],
            )
        except ValidationError as error:
            problems = "; ".join(m for ms in error.message_dict.values() for m in ms)
            raise CommandError(problems) from None
        self.stdout.write(
            json.dumps(
                {
                    "client_id": client.pk,
                    "client_secret": secret,
                    "name": client.name,
                    "redirect_uris": client.get_redirect_uris(),
                    "scopes": client.get_scopes(),
                }
            )
        )
