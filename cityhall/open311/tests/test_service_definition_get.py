"""GET /open311/v2/services/{code}.{json,xml}, validated against service-definition.json."""

from xml.etree import ElementTree

import pytest

from cityhall.open311.tests.schemas import errors_validator, validator

pytestmark = pytest.mark.django_db


def test_service_definition_validates(client, pothole_type):
    body = client.get("/open311/v2/services/pothole.json").json()
    validator("service-definition.json").validate(body)
    assert body["attributes"][0]["values"] == [{"key": "deep", "name": "Deep"}]


def test_service_definition_xml_element_names(client, pothole_type):
    root = ElementTree.fromstring(client.get("/open311/v2/services/pothole.xml").content)
    assert root.tag == "service_definition"
    assert root.find("service_code").text == "pothole"
    attribute = root.find("attributes/attribute")
    assert attribute.find("datatype").text == "singlevaluelist"
    assert attribute.find("values/value/key").text == "deep"
    assert attribute.find("values/value/name").text == "Deep"


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_unknown_code_is_404_in_either_format(client, pothole_type, fmt):
    response = client.get(f"/open311/v2/services/nope.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        errors_validator().validate(response.json())
    else:
        root = ElementTree.fromstring(response.content)
        assert root.tag == "errors" and root.find("error/code").text == "404"
        assert root.find("error/description").text
