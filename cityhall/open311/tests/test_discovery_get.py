"""GET /open311/v2/discovery.{json,xml}."""

from xml.etree import ElementTree

import pytest

pytestmark = pytest.mark.django_db


def test_discovery(client):
    body = client.get("/open311/v2/discovery.json").json()
    assert body["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert body["endpoints"][0]["url"].endswith("/open311/v2/")


def test_discovery_xml(client):
    root = ElementTree.fromstring(client.get("/open311/v2/discovery.xml").content)
    assert root.tag == "discovery"
    assert root.find("endpoints/endpoint/formats/format").text == "application/json"
