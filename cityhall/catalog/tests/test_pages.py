import pytest

from cityhall.catalog.models import Service
from cityhall.testing import make_article, make_service

pytestmark = pytest.mark.django_db


def test_service_page_puts_the_next_step_first_and_speaks_spanish(client):
    make_service(
        "pay-ticket",
        "Pay a parking ticket",
        "Pagar una multa",
        channels=[{"kind": "online", "label_en": "Pay online", "label_es": "Pagar en línea"}],
        steps_en=["Find the ticket number", "Pay by card"],
        steps_es=["Busque el número", "Pague con tarjeta"],
        fees_en="The ticket amount",
        personas=["resident"],
        topic="transit",
    )
    page = client.get("/services/pay-ticket/").content.decode()
    assert page.index("Pay online") < page.index("Find the ticket number")
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    spanish = client.get("/services/pay-ticket/").content.decode()
    assert "Pagar una multa" in spanish and "Pague con tarjeta" in spanish


def test_unpublished_services_are_not_found(client):
    make_service("secret", "Secret", is_published=False)
    assert client.get("/services/secret/").status_code == 404
    assert client.get("/api/v1/services").json() == []


def test_browse_by_persona_and_topic(client):
    make_service("senior-credit", "Senior tax credit", personas=["senior"], topic="taxes")
    make_service("bulk", "Bulk trash pickup", personas=["resident"], topic="trash")
    senior = client.get("/services/for/senior/").content.decode()
    assert "Senior tax credit" in senior and "Bulk trash pickup" not in senior
    trash = client.get("/services/topics/trash/").content.decode()
    assert "Bulk trash pickup" in trash and "Senior tax credit" not in trash
    assert client.get("/services/for/wizard/").status_code == 404


def test_article_page(client):
    make_article("trash-day", "When is my trash picked up?", "Weekly.\n\nPut it out by 6am.")
    page = client.get("/services/help/trash-day/").content.decode()
    assert "Put it out by 6am." in page


def test_services_api_lists_and_details(client):
    service = make_service("bulk", "Bulk trash pickup", "Recogida de objetos grandes")
    listing = client.get("/api/v1/services", {"lang": "es"}).json()
    assert listing[0]["title"] == "Recogida de objetos grandes"
    detail = client.get(f"/api/v1/services/{service.pk}").json()
    assert detail["slug"] == "bulk" and detail["steps"] == []
    assert client.get("/api/v1/services/999999").status_code == 404
    assert client.get("/api/v1/services", {"limit": 0}).status_code == 422
    assert Service.objects.count() == 1


@pytest.mark.parametrize("offset", ["99999999999999999999", "-1", "abc"])
def test_services_api_rejects_odd_paging_with_json(client, offset):
    response = client.get("/api/v1/services", {"offset": offset})
    assert response.status_code == 422
    assert "errors" in response.json()
