import re

import pytest
from django.contrib.auth import authenticate
from django.core import mail
from django.urls import reverse

from cityhall.testing import make_resident

pytestmark = pytest.mark.django_db


def test_reset_by_email_link(client):
    make_resident("forgetful@example.org")
    response = client.post(reverse("account_reset_password"), {"email": "forgetful@example.org"})
    assert response.status_code == 302
    link = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mail.outbox[0].body)
    page = client.get(link.group(1), follow=True)
    form_url = page.redirect_chain[-1][0] if page.redirect_chain else link.group(1)
    new = "a-brand-new-passphrase-42"
    done = client.post(form_url, {"password1": new, "password2": new})
    assert done.status_code == 302
    assert authenticate(email="forgetful@example.org", password=new) is not None


def test_unknown_email_looks_the_same(client):
    known = client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert known.status_code == 302
    assert known["Location"] == reverse("account_reset_password_done")
