import pytest

from cityhall.catalog.models import ServiceType
from cityhall.testing import fresh_search_index, make_address, make_department, make_service


def _request_type(code, name_en, name_es, keywords_en, keywords_es, department):
    service_type = ServiceType.objects.create(
        code=code, name_en=name_en, name_es=name_es, department=department, sla_days=5
    )
    make_service(
        code,
        name_en,
        name_es,
        department=department,
        request_type=service_type,
        keywords_en=keywords_en,
        keywords_es=keywords_es,
    )
    return service_type


@pytest.fixture
def city():
    """A small catalog of request types (each with its service page, so search finds it),
    the catch-all "other request" type, and one street address."""
    make_address("3600 Falls Rd")
    make_address("3602 Falls Rd")
    streets = make_department("transportation", "Transportation")
    health = make_department("health", "Health")
    _request_type(
        "pothole-repair",
        "Pothole Repair",
        "Reparación de baches",
        ["pothole", "hole in the road"],
        ["bache", "hoyo en la calle"],
        streets,
    )
    _request_type(
        "pothole-pickup",
        "Pothole in an Alley",
        "Bache en un callejón",
        ["pothole", "alley"],
        ["bache", "callejón"],
        streets,
    )
    _request_type(
        "barking-dog",
        "Barking Dog",
        "Perro que ladra",
        ["dog barking", "barks", "noisy dog"],
        ["perro ladrando", "ladra", "ladrido"],
        health,
    )
    _request_type(
        "baltimore-ecc-miscellaneous-request",
        "Other Request",
        "Otra solicitud",
        ["other", "question"],
        ["otra", "pregunta"],
        streets,
    )
    fresh_search_index()
