"""Test settings: the real stack, made fast where speed does not change behaviour."""

import os

os.environ.setdefault("DEBUG", "1")

from cityhall.settings import *  # noqa: E402,F403

DEBUG = False
SECURE_COOKIES = False
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
# Argon2 still, with cheap parameters so thousands of sign-ins stay fast.
PASSWORD_HASHERS = [
    "cityhall.core.hashers.FastArgon2PasswordHasher",
    "cityhall.sso.hashers.ClientSecretHasher",
]
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
WHITENOISE_AUTOREFRESH = True
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
SEARCH_INDEX_CHECK_SECONDS = 0.0

import tempfile as _tempfile  # noqa: E402
from pathlib import Path  # noqa: E402

MEDIA_ROOT = Path(_tempfile.mkdtemp(prefix="cityhall-media-"))
TWILIO_AUTH_TOKEN = "test-twilio-token"
INTAKE_EMAIL_SECRET = "test-intake-secret"
OIDC_KEYS_DIR = Path(_tempfile.mkdtemp(prefix="cityhall-oidc-keys-"))
OIDC_AUTO_CREATE_KEY = True
