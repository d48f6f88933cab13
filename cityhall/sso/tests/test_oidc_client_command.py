"""`cityhall oidc-client create` registers a department app and prints its credentials."""

import io
import json

import pytest
from allauth.idp.oidc.models import Client
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_create_prints_the_client_id_and_secret_as_json():
    out = io.StringIO()
    call_command(
        "oidc-client",
        "create",
        "--name",
        "Permits",
        "--redirect-uri",
        "https://permits.example/callback",
        stdout=out,
    )
    printed = json.loads(out.getvalue())
    client = Client.objects.get(pk=printed["client_id"])
    assert client.name == "Permits"
    assert client.get_redirect_uris() == ["https://permits.example/callback"]
    assert client.check_secret(printed["client_secret"])
    assert not client.check_secret("wrong")
    assert printed["client_secret"] not in client.secret  # stored hashed


def test_a_bad_redirect_uri_is_refused():
    with pytest.raises(CommandError, match="Not a web address"):
        call_command(
            "oidc-client",
            "create",
            "--name",
            "Permits",
            "--redirect-uri",
            "nope",
            stdout=io.StringIO(),
        )
