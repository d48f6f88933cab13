"""The web report form: photos (type, size, EXIF location, metadata stripped), the map pin,
per-type questions, duplicates nearby, and bad input."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from cityhall.cases.models import Case, CasePhoto

pytestmark = pytest.mark.django_db(transaction=True)


def jpeg_with_gps(lat: float = 39.33, lng: float = -76.635, *, gps: bool = True) -> bytes:
    image = Image.new("RGB", (64, 48), (120, 90, 60))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make: must not survive
    if gps:

        def dms(value: float):
            value = abs(value)
            d = int(value)
            m = int((value - d) * 60)
            s = round(((value - d) * 60 - m) * 60, 2)
            return (d, m, s)

        exif[0x8825] = {
            1: "N" if lat >= 0 else "S",
            2: dms(lat),
            3: "E" if lng >= 0 else "W",
            4: dms(lng),
        }
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif)
    return out.getvalue()


def post_report(client, **fields):
    data = {"description": "Hole", "address": "3600 Falls Rd"} | fields
    return client.post(reverse("cases:report", args=["pothole"]), data)


def test_photo_location_is_used_and_its_metadata_stripped(client, pothole_type):
    photo = SimpleUploadedFile("hole.jpg", jpeg_with_gps(), content_type="image/jpeg")
    response = post_report(client, address="", photos=[photo])
    assert response.status_code == 302
    case = Case.objects.get()
    assert case.neighbourhood.name == "Hampden" and abs(case.lat - 39.33) < 1e-3
    stored = CasePhoto.objects.get(case=case)
    assert stored.exif_lat is not None
    served = client.get(reverse("cases:photo", args=[case.reference, stored.token]))
    assert served["Content-Type"] == "image/jpeg"
    image = Image.open(io.BytesIO(b"".join(served.streaming_content)))
    assert not image.getexif(), "no camera metadata is ever served"


def test_a_pin_without_an_address(client, pothole_type):
    response = post_report(client, address="", lat="39.33", lng="-76.635")
    assert response.status_code == 302
    assert Case.objects.get().address is None


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (lambda: SimpleUploadedFile("x.jpg", b"not an image at all", "image/jpeg"), "not a photo"),
        (lambda: SimpleUploadedFile("big.jpg", b"\xff" * (10 * 1024 * 1024), "image/jpeg"), "5 MB"),
        (lambda: SimpleUploadedFile("x.gif", _gif(), "image/gif"), "not a photo"),
    ],
)
def test_bad_photos_get_a_clear_message_and_file_nothing(client, pothole_type, upload, message):
    response = post_report(client, photos=[upload()])
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Case.objects.exists()


def _gif() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4)).save(out, format="GIF")
    return out.getvalue()


def test_too_many_photos(client, pothole_type):
    photos = [
        SimpleUploadedFile(f"{i}.jpg", jpeg_with_gps(gps=False), "image/jpeg") for i in range(4)
    ]
    response = post_report(client, photos=photos)
    assert response.status_code == 400 and "up to 3 photos" in response.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"address": ""}, "Tell us where"),
        ({"address": "", "lat": "40.7", "lng": "-74.0"}, "outside the city"),
        ({"description": "x" * 4001}, "at most 4000 characters"),
        ({"description": ""}, "This field is required"),
    ],
)
def test_bad_input_is_explained_on_the_form(client, pothole_type, fields, message):
    response = post_report(client, **fields)
    assert response.status_code == 400 and message in response.content.decode()


def test_html_in_the_description_is_shown_as_text(client, pothole_type):
    post_report(client, description="<script>alert(1)</script> deep hole")
    case = Case.objects.get()
    page = client.get(reverse("cases:detail", args=[case.reference])).content.decode()
    assert "<script>alert(1)</script>" not in page


def test_per_type_questions_are_asked_and_kept(client, pothole_type):
    pothole_type.questions = [
        {
            "code": "lane",
            "label_en": "Which lane?",
            "label_es": "¿Qué carril?",
            "required": True,
            "choices": [{"key": "bike", "name_en": "Bike lane", "name_es": "Ciclovía"}],
        }
    ]
    pothole_type.save()
    page = client.get(reverse("cases:report", args=["pothole"])).content.decode()
    assert "Which lane?" in page
    assert post_report(client).status_code == 400
    assert post_report(client, q_lane="bike").status_code == 302
    assert Case.objects.get().answers == {"lane": "bike"}


def test_open_reports_nearby_are_offered(client, pothole_type, make_case):
    existing = make_case()
    page = client.get(
        reverse("cases:nearby", args=["pothole"]), {"address": "3600 Falls Rd"}
    ).content.decode()
    assert existing.reference in page and "Is this it?" in page
    empty = client.get(reverse("cases:nearby", args=["pothole"]), {"lat": "x"}).content.decode()
    assert existing.reference not in empty


def test_retried_form_post_files_one_case(client, pothole_type):
    post_report(client, idempotency_key="k1")
    post_report(client, idempotency_key="k1")
    assert Case.objects.count() == 1


def test_descriptors_become_a_question_on_the_form(client, pothole_type):
    pothole_type.descriptors = [{"code": "deep", "name_en": "Deep", "name_es": "Profundo"}]
    pothole_type.save()
    page = client.get(reverse("cases:report", args=["pothole"])).content.decode()
    assert "What best describes it?" in page and ">Deep<" in page
    assert post_report(client, q_descriptor="deep").status_code == 302
    assert Case.objects.get().answers == {"descriptor": "deep"}
