import datetime as dt

import pytest

from cityhall.assistant import nlu
from cityhall.catalog.models import ServiceType
from cityhall.org.models import Office
from cityhall.places.models import CollectionSchedule
from cityhall.testing import (
    fresh_search_index,
    make_address,
    make_article,
    make_department,
    make_neighbourhood,
    make_service,
)


@pytest.fixture(autouse=True)
def _fresh_model():
    nlu.forget()
    yield
    nlu.forget()


@pytest.fixture
def assistant_city():
    """A small city the assistant can talk about: four articles (the model's examples stay
    the same across tests, so it is trained once and then loaded from disk), a pothole
    request type, an address in Hampden with its collection days, and two offices."""
    streets = make_department("transportation", "Transportation")
    finance = make_department("finance", "Finance")
    pothole = ServiceType.objects.create(
        code="pothole-repair", name_en="Pothole Repair", name_es="Reparación de baches",
        department=streets, sla_days=5,
    )  # fmt: skip
    make_service(
        "pothole-repair", "Pothole Repair", "Reparación de baches", department=streets,
        request_type=pothole, keywords_en=["pothole", "hole in the road"], keywords_es=["bache"],
    )  # fmt: skip
    ticket = make_service(
        "pay-parking-ticket", "Pay a parking ticket", "Pagar una multa", department=finance,
        keywords_en=["parking ticket", "citation"], keywords_es=["multa de estacionamiento"],
    )  # fmt: skip
    article = make_article(
        "pay-parking-ticket",
        "How do I pay a parking ticket?",
        "Pay online with the ticket number, by phone through 311, or at the Finance counter.",
        title_es="¿Cómo pago una multa de estacionamiento?",
        body_es="Pague en línea con el número de la multa, por teléfono o en Finanzas.",
        keywords_en=["parking ticket", "pay ticket", "citation"],
        keywords_es=["multa", "pagar multa"],
    )
    article.related_services.add(ticket)
    make_article(
        "report-pothole",
        "How do I report a pothole, and how long until it's fixed?",
        "Report it online or by text. Most potholes are filled within three working days.",
        keywords_en=["pothole", "road repair"],
        keywords_es=["bache"],
    )
    make_article(
        "trash-pickup-day",
        "When is my trash picked up?",
        "Trash is collected once a week on your neighbourhood's day.",
        keywords_en=["trash day", "garbage pickup"],
        keywords_es=["día de basura"],
    )
    make_article(
        "city-hall-hours",
        "What are City Hall's hours?",
        "City Hall is open weekdays.",
        keywords_en=["hours", "open"],
        keywords_es=["horario"],
    )
    address = make_address("3600 Falls Rd")
    CollectionSchedule.objects.create(
        neighbourhood=make_neighbourhood(),
        trash_weekday=0,
        recycling_weekday=0,
        recycling_every_other_week=True,
        recycling_anchor=dt.date(2026, 1, 5),
    )
    weekdays = {str(d): [["08:30", "16:30"]] for d in range(5)}
    Office.objects.create(
        slug="city-hall", name_en="City Hall", name_es="Ayuntamiento", hours=weekdays,
        keywords="city hall, ayuntamiento", is_main=True,
    )  # fmt: skip
    Office.objects.create(
        slug="library", name_en="Central Library", name_es="Biblioteca Central",
        hours={"5": [["10:00", "17:00"]]}, keywords="library, biblioteca",
    )  # fmt: skip
    fresh_search_index()
    return address
