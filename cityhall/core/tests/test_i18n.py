import pytest

from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_spanish_is_served_when_chosen(client):
    client.post("/i18n/setlang/", {"language": "es", "next": "/"})
    body = client.get("/").content.decode()
    assert '<html lang="es">' in body
    assert "Saltar al contenido principal" in body
    assert "Crear una cuenta" in body


def test_browser_language_is_honoured(client):
    body = client.get("/", HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9").content.decode()
    assert "Saltar al contenido principal" in body


def test_profile_language_applies_after_sign_in(client):
    user = make_resident()
    profile = user.profiles.get()
    profile.language = "es"
    profile.save()
    client.force_login(user)
    assert "Mi cuenta" in client.get("/").content.decode()
