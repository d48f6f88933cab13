"""Tell us once: a resident's change reaches the connected services they chose, as signed
webhooks retried until acknowledged, with only the fields each service was granted."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cityhall.accounts.models import SavedAddress
from cityhall.sso import actions, webhooks
from cityhall.sso.models import ConsentGrant, WebhookDelivery, WebhookStatus
from cityhall.testing import make_address, make_resident

pytestmark = pytest.mark.django_db(transaction=True)


class Receiver:
    """A department system's webhook endpoint: checks the signature, remembers event ids,
    and can be told to fail its first few requests."""

    def __init__(self, secret_for: dict[str, str], fail_first: int = 0) -> None:
        self.secret_for = secret_for
        self.fail_first = fail_first
        self.received: list[tuple[str, dict]] = []
        self.bad_signatures = 0
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                service = self.path.strip("/")
                signature = self.headers.get(webhooks.SIGNATURE_HEADER, "")
                if not webhooks.verify(receiver.secret_for[service], signature, body):
                    receiver.bad_signatures += 1
                    status = 401
                elif receiver.fail_first > 0:
                    receiver.fail_first -= 1
                    status = 503
                else:
                    receiver.received.append((service, json.loads(body)))
                    status = 204
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def url(self, service: str) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}/{service}"

    def close(self) -> None:
        self.server.shutdown()


def connect(user, service) -> None:
    from allauth.idp.oidc.models import Client

    client = Client.objects.create(name=service.name)
    service.client = client
    service.save()
    ConsentGrant.objects.create(user=user, client=client, scopes=["openid"])


@pytest.fixture
def city():
    parking = actions.register_service(
        actor=None, name="Parking", client=None, webhook_url="", allowed_fields=["address", "name"]
    )
    water = actions.register_service(
        actor=None, name="Water", client=None, webhook_url="", allowed_fields=["address"]
    )
    library = actions.register_service(
        actor=None, name="Library", client=None, webhook_url="", allowed_fields=["name"]
    )
    receiver = Receiver({s.name: s.webhook_secret for s in (parking, water, library)})
    for service in (parking, water, library):
        service.webhook_url = receiver.url(service.name)
        service.save()
    yield {"parking": parking, "water": water, "library": library, "receiver": receiver}
    receiver.close()


def drain(worker: webhooks.WebhookWorker, rounds: int = 30) -> None:
    for _ in range(rounds):
        WebhookDelivery.objects.filter(status=WebhookStatus.PENDING).update(due_at=timezone.now())
        if worker.run_once() == 0:
            return


def moved(user):
    profile = user.profiles.get(is_primary=True)
    SavedAddress.objects.create(profile=profile, address=make_address("1 Light St", "21202"))


def test_a_moved_residents_change_reaches_two_services_and_only_what_they_may_see(city):
    resident = make_resident()
    for name in ("parking", "water", "library"):
        connect(resident, city[name])
    moved(resident)
    choices = [city["parking"].pk, city["water"].pk]
    notice = actions.tell_services(
        actor=resident,
        kind="address",
        data={
            "address": {"street_address": "1 Light St", "postal_code": "21202"},
            "name": "should never travel",
        },
        service_ids=choices,
    )
    worker = webhooks.WebhookWorker()
    drain(worker)
    received = dict(city["receiver"].received)
    assert set(received) == {"Parking", "Water"}
    for body in received.values():
        assert body["type"] == "resident.address"
        assert body["subject"] == str(resident.pk)
        assert body["address"]["street_address"] == "1 Light St"
        assert "name" not in body  # not part of this change, even for Parking
        assert body["id"] in {str(d.event_id) for d in notice.deliveries.all()}
    assert city["receiver"].bad_signatures == 0
    assert set(notice.deliveries.values_list("status", flat=True)) == {WebhookStatus.DELIVERED}


def test_a_service_without_the_field_or_the_connection_cannot_be_told(city):
    resident = make_resident()
    connect(resident, city["library"])  # connected, but may not receive addresses
    with pytest.raises(ValidationError):
        actions.tell_services(
            actor=resident, kind="address", data={"address": {}}, service_ids=[city["library"].pk]
        )
    with pytest.raises(ValidationError):  # may receive addresses, but not connected
        actions.tell_services(
            actor=resident, kind="address", data={"address": {}}, service_ids=[city["water"].pk]
        )
    assert not WebhookDelivery.objects.exists()


def test_deliveries_are_retried_until_acknowledged(city):
    resident = make_resident()
    connect(resident, city["water"])
    city["receiver"].fail_first = 2
    actions.tell_services(
        actor=resident, kind="address", data={"address": {"x": 1}}, service_ids=[city["water"].pk]
    )
    worker = webhooks.WebhookWorker()
    worker.run_once()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.PENDING and delivery.last_status_code == 503
    assert delivery.due_at > timezone.now()
    drain(worker)
    delivery.refresh_from_db()
    assert delivery.status == WebhookStatus.DELIVERED and delivery.attempts == 3
    assert len(city["receiver"].received) == 1


def test_a_retried_submission_tells_no_one_twice(city):
    resident = make_resident()
    connect(resident, city["water"])
    first = actions.tell_services(
        actor=resident, kind="address", data={}, creation_key="k1", service_ids=[city["water"].pk]
    )
    again = actions.tell_services(
        actor=resident, kind="address", data={}, creation_key="k1", service_ids=[city["water"].pk]
    )
    assert first.pk == again.pk and WebhookDelivery.objects.count() == 1


def test_signatures_refuse_tampering_and_replays():
    body = b'{"id":"1"}'
    header = webhooks.sign("secret", body)
    assert webhooks.verify("secret", header, body)
    assert not webhooks.verify("secret", header, b'{"id":"2"}')
    assert not webhooks.verify("other", header, body)
    old = webhooks.sign("secret", body, int(time.time()) - 3600)
    assert not webhooks.verify("secret", old, body)  # a replay an hour later
    assert not webhooks.verify("secret", "garbage", body)


def test_the_resident_chooses_services_on_a_page_and_sees_the_log(client, city):
    resident = make_resident()
    connect(resident, city["parking"])
    connect(resident, city["water"])
    moved(resident)
    client.force_login(resident)
    page = client.get("/account/tell-us-once/?kind=address")
    assert "Parking" in page.content.decode() and "Water" in page.content.decode()
    refused = client.post("/account/tell-us-once/", {"kind": "address"})
    assert refused.status_code == 200 and refused.context["form"].errors["services"]
    sent = client.post(
        "/account/tell-us-once/",
        {"kind": "address", "services": [str(city["water"].pk)], "creation_key": "abc"},
    )
    assert sent.status_code == 302
    body = WebhookDelivery.objects.get().payload
    assert body["address"]["street_address"] == "1 Light St"
    log = client.get("/account/connected/").content.decode()
    assert "Water" in log and "Waiting to be sent" in log


def test_deleting_an_account_cuts_every_service_off_and_keeps_no_details(city):
    from allauth.idp.oidc.models import Token

    from cityhall.accounts.actions import anonymise_account, request_deletion

    resident = make_resident()
    connect(resident, city["water"])
    actions.tell_services(
        actor=resident,
        kind="address",
        service_ids=[city["water"].pk],
        data={"address": {"street_address": "1 Light St"}},
    )
    deletion = request_deletion(actor=resident)
    type(deletion).objects.filter(pk=deletion.pk).update(scheduled_for=timezone.now())
    assert anonymise_account(request_id=deletion.pk)
    assert not ConsentGrant.objects.filter(user=resident).exists()
    assert not Token.objects.filter(user=resident).exists()
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookStatus.FAILED and delivery.payload == {}


def test_old_deliveries_keep_who_was_told_but_not_the_change(city):
    import datetime as dt

    resident = make_resident()
    connect(resident, city["water"])
    actions.tell_services(
        actor=resident,
        kind="address",
        service_ids=[city["water"].pk],
        data={"address": {"street_address": "1 Light St"}},
    )
    worker = webhooks.WebhookWorker()
    drain(worker)
    assert worker.forget_old_payloads(timezone.now() + dt.timedelta(days=91)) == 1
    delivery = WebhookDelivery.objects.get()
    assert delivery.payload == {} and delivery.status == WebhookStatus.DELIVERED
    assert delivery.notice.data == {}
