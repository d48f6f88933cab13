"""Publishing open data: anonymised files in three formats, the catalog, and serving them."""

import csv
import io
import json

import pytest
from django.core.management import call_command
from django.test import Client

from cityhall.cases import actions as case_actions
from cityhall.cases.models import Case, Channel
from cityhall.opendata.anonymise import coarse_point, is_about_a_person_or_home, screened_text
from cityhall.opendata.models import Publication
from cityhall.testing import make_request_type

pytestmark = pytest.mark.django_db

NAME, EMAIL, PHONE = "Philomena Quenneville", "philomena.q.7731@example.net", "410 555 7731"


@pytest.fixture(autouse=True)
def open_data_dir(settings, tmp_path):
    settings.OPEN_DATA_DIR = tmp_path / "open-data"
    return settings.OPEN_DATA_DIR


def file_case(code: str, channel: str, description: str, **extra) -> Case:
    case, _ = case_actions.submit_case(
        actor=None,
        service_code=code,
        description=description,
        channel=channel,
        **{"address_text": "3600 Falls Rd", **extra},
    )
    case_actions.route_case(case_id=case.pk)
    return Case.objects.get(pk=case.pk)


def published_text(folder) -> str:
    return "\n".join(p.read_text() for p in sorted(folder.iterdir()))


def test_publish_writes_every_format(open_data_dir):
    make_request_type()
    file_case("pothole", Channel.WEB, "Deep hole by the bus stop")
    out = io.StringIO()
    call_command("opendata", "publish", stdout=out)
    report = json.loads(out.getvalue())
    assert report["rows"] == 1
    names = sorted(p.name for p in open_data_dir.iterdir())
    assert names == [
        "service-requests-dictionary.csv",
        "service-requests.csv",
        "service-requests.geojson",
        "service-requests.json",
    ]
    records = json.loads((open_data_dir / "service-requests.json").read_text())
    assert records[0]["description"] == "Deep hole by the bus stop"
    assert records[0]["location_precision"] == "exact"
    geo = json.loads((open_data_dir / "service-requests.geojson").read_text())
    assert geo["type"] == "FeatureCollection"
    assert geo["features"][0]["geometry"]["coordinates"] == [-76.635, 39.33]
    rows = list(csv.DictReader((open_data_dir / "service-requests.csv").open()))
    assert rows[0]["service_code"] == "pothole" and rows[0]["status"]


def test_no_contact_of_the_requester_is_published_anywhere(open_data_dir):
    make_request_type()
    make_request_type("homeless-encampment", name_en="Homeless encampment", name_es="Campamento")
    # The contact is given and also typed into the description, on a public channel.
    file_case(
        "pothole",
        Channel.WEB,
        f"Call me, {NAME}, at {PHONE} or {EMAIL}. Hole outside.",
        contact_name=NAME,
        contact_email=EMAIL,
        contact_phone=PHONE,
    )
    file_case("pothole", Channel.SMS, f"this is {NAME} my number {PHONE}", contact_phone=PHONE)
    file_case("homeless-encampment", Channel.WEB, f"Tent behind {NAME}'s house")
    call_command("opendata", "publish", stdout=io.StringIO())
    text = published_text(open_data_dir).lower()
    for needle in [NAME, *NAME.split(), EMAIL, "7731", "philomena", "quenneville"]:
        assert needle.lower() not in text, needle
    records = json.loads((open_data_dir / "service-requests.json").read_text())
    by_type = {r["service_code"] + r["channel"]: r for r in records}
    assert by_type["potholesms"]["description"] == ""
    assert "[email]" in by_type["potholeweb"]["description"]
    assert by_type["homeless-encampmentweb"]["address"] == ""
    assert by_type["homeless-encampmentweb"]["location_precision"] == "coarsened"
    assert by_type["homeless-encampmentweb"]["description"] == ""
    coarse = by_type["homeless-encampmentweb"]
    assert (coarse["lat"], coarse["long"]) == coarse_point(39.33, -76.635)
    assert round(coarse["lat"], 3) == coarse["lat"]


def test_the_demo_city_export_has_no_residents_contacts(open_data_dir):
    from cityhall.accounts.models import User
    from cityhall.demo.loader import load_demo_city

    load_demo_city()
    code = Case.objects.values_list("service_type__code", flat=True).first()
    from cityhall.places.models import Address

    file_case(
        code,
        Channel.WEB,
        f"Broken, see photo. {NAME}, {PHONE}",
        contact_email=EMAIL,
        contact_name=NAME,
        address_text=Address.objects.first().line,
    )
    call_command("opendata", "publish", stdout=io.StringIO())
    text = published_text(open_data_dir).lower()
    assert EMAIL not in text and "quenneville" not in text
    residents = User.objects.filter(staff_memberships__isnull=True).exclude(email="")
    assert residents.exists()
    for user in residents:
        assert user.email.lower() not in text
        if user.phone:
            assert user.phone[-7:] not in text.replace(" ", "").replace("-", "")


def test_catalog_links_every_published_file_and_open311(open_data_dir):
    make_request_type()
    file_case("pothole", Channel.WEB, "Hole")
    call_command("opendata", "publish", stdout=io.StringIO())
    client = Client()
    catalog = client.get("/open-data/data.json").json()
    assert catalog["conformsTo"] == "https://project-open-data.cio.gov/v1.1/schema"
    datasets = {d["title"]: d for d in catalog["dataset"]}
    requests = next(d for t, d in datasets.items() if "service requests" in t)
    urls = {d["downloadURL"] for d in requests["distribution"]}
    for name in Publication.objects.get().files:
        assert f"http://testserver/open-data/files/{name}" in urls
    api = [d for t, d in datasets.items() if "Open311" in t][0]
    assert any(d["accessURL"].endswith("/open311/v2/requests.json") for d in api["distribution"])
    for dataset in catalog["dataset"]:
        for field in ("title", "description", "keyword", "modified", "publisher",
                      "contactPoint", "identifier", "accessLevel"):  # fmt: skip
            assert dataset[field], field
    for url in urls:
        response = client.get(url.removeprefix("http://testserver"))
        assert response.status_code == 200
        assert response["Access-Control-Allow-Origin"] == "*"
    kinds = {
        "csv": "text/csv; charset=utf-8",
        "json": "application/json",
        "geojson": "application/geo+json",
    }
    for extension, kind in kinds.items():
        response = client.get(f"/open-data/files/service-requests.{extension}")
        assert response["Content-Type"] == kind


@pytest.mark.parametrize(
    "path",
    [
        "/open-data/files/..%2Fsettings.py",
        "/open-data/files/../cityhall.sqlite3",
        "/open-data/files/%2e%2e/secret.json",
        "/open-data/files/other.csv",
        "/open-data/files/service-requests.csv?path=/etc/passwd",
    ],
)
def test_nothing_but_published_files_is_served(open_data_dir, path):
    (open_data_dir.parent / "secret.json").write_text("{}")
    response = Client().get(path)
    assert response.status_code == 404


@pytest.mark.parametrize("query", ["fields=contact_email", "include=contact_name", "format=raw"])
def test_no_query_parameter_reaches_personal_data(open_data_dir, query):
    make_request_type()
    file_case("pothole", Channel.WEB, "Hole", contact_email=EMAIL)
    call_command("opendata", "publish", stdout=io.StringIO())
    client = Client()
    for path in ("/open-data/", "/open-data/data.json", "/open-data/files/service-requests.json"):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200
        body = b"".join(response.streaming_content) if response.streaming else response.content
        assert EMAIL not in body.decode()


def test_index_lists_the_files_and_dictionary(open_data_dir):
    assert "Not published yet." in Client().get("/open-data/").content.decode()
    make_request_type()
    call_command("opendata", "publish", stdout=io.StringIO())
    page = Client().get("/open-data/").content.decode()
    assert "/open-data/files/service-requests.geojson" in page
    assert "location_precision" in page


@pytest.mark.django_db(transaction=True)
def test_worker_publishes(open_data_dir, run_worker):
    make_request_type()
    call_command("opendata", "publish", "--enqueue", stdout=io.StringIO())
    assert not Publication.objects.exists()
    run_worker()
    assert Publication.objects.get().trigger == "worker"


def test_types_about_people_or_homes():
    assert is_about_a_person_or_home("homeless-encampment", "Homeless encampment")
    assert is_about_a_person_or_home("x", "Noise complaint")
    assert is_about_a_person_or_home("x", "Rodent activity")
    assert not is_about_a_person_or_home("pothole", "Pothole")
    assert not is_about_a_person_or_home("x", "Street light out")


def test_screening():
    assert screened_text("mail a@b.org or 410-555-0100", "web", names=[]) == (
        "mail [email] or [phone]"
    )
    assert screened_text("I am Ann Lee", "api", names=["Ann Lee"]) == "I am [name] [name]"
    assert screened_text("anything", "phone", names=[]) == ""
    assert "12345" not in screened_text("account 12345 and 123456789", "web", names=[])
