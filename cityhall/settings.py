"""Settings for Virtual City Hall, read from the environment (see .env.example)."""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent
DATA_DIR = Path(os.environ.get("CITYHALL_DATA_DIR", PROJECT_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off (see .env.example).")
    SECRET_KEY = "insecure-demo-key-only-for-local-development"  # noqa: S105

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
CITY_NAME = os.environ.get("CITY_NAME", "Harbor")
# Called when an account is anonymised: each forgets what its app holds about the person
# (explicit, in the same transaction; apps below accounts never import the ones above).
PERSONAL_DATA_ERASERS = [
    "cityhall.cases.actions.erase_personal_data",
    "cityhall.intake.actions.erase_personal_data",
    "cityhall.notifications.actions.erase_personal_data",
    "cityhall.assistant.actions.erase_personal_data",
    "cityhall.sso.actions.erase_personal_data",
]
# The number residents text (SMS intake, phone verification), shown on pages.
CITY_SMS_NUMBER = os.environ.get("CITY_SMS_NUMBER", "+1 410 555 0311")
OPEN311_JURISDICTION = os.environ.get("OPEN311_JURISDICTION", "harbor.cityhall.example")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.humanize",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "csp",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "django_tasks",
    "django_tasks_db",
    "cityhall.core",
    "cityhall.audit",
    "cityhall.places",
    "cityhall.org",
    "cityhall.catalog",
    "cityhall.search",
    "cityhall.cases",
    "cityhall.open311",
    "cityhall.intake",
    "cityhall.notifications",
    "cityhall.personalization",
    "cityhall.assistant",
    "cityhall.insights",
    "cityhall.opendata",
    "allauth.idp.oidc",
    "cityhall.sso",
    "cityhall.accounts",
    "cityhall.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "allauth.usersessions.middleware.UserSessionsMiddleware",
    "cityhall.accounts.middleware.ActiveProfileMiddleware",
    "cityhall.org.middleware.StaffMFAMiddleware",
]

ROOT_URLCONF = "cityhall.urls"
WSGI_APPLICATION = "cityhall.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "cityhall.core.context_processors.site",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'cityhall.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Kept open between requests like PostgreSQL's: opening the file and running the PRAGMAs
    # below was an eighth of an Open311 POST. Gunicorn's sync workers use one thread each.
    DATABASES["default"]["CONN_MAX_AGE"] = 60
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"]["OPTIONS"] = {
        # WAL lets the web server read while the worker writes; IMMEDIATE avoids
        # "database is locked" upgrades in write transactions.
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=5000;"
        ),
        "transaction_mode": "IMMEDIATE",
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache ----------------------------------------------------------------------------------
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "cityhall_cache",
        }
    }

# --- Background work ------------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": "django_tasks_db.DatabaseBackend",
        "QUEUES": ["default", "maintenance"],
    }
}

# --- Accounts -------------------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "cityhall.sso.hashers.ClientSecretHasher",  # OIDC client secrets only, never passwords
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:home"
ACCOUNT_ADAPTER = "cityhall.accounts.adapter.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_EMAIL_SUBJECT_PREFIX = f"[{CITY_NAME}] "
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
}
MFA_ADAPTER = "allauth.mfa.adapter.DefaultMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_PASSKEY_LOGIN_ENABLED = True
MFA_TOTP_ISSUER = CITY_NAME
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG
USERSESSIONS_TRACK_ACTIVITY = True
MAX_PROFILES_PER_ACCOUNT = 6
ACCOUNT_DELETION_GRACE_DAYS = int(os.environ.get("ACCOUNT_DELETION_GRACE_DAYS", "30"))

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "City Hall <no-reply@cityhall.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Internationalisation -------------------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "America/New_York")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", PROJECT_DIR / "staticfiles"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploaded files (case photos) are served through views that check who may see them.
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
CASE_PHOTO_MAX_BYTES = 5 * 1024 * 1024
CASE_PHOTOS_PER_CASE = 3
CASE_REOPEN_DAYS = int(os.environ.get("CASE_REOPEN_DAYS", "14"))
# Twilio-compatible SMS: requests to our webhook are signed with this token.
TWILIO_AUTH_TOKEN = os.environ.get("TWILIO_AUTH_TOKEN", "dev-twilio-token" if DEBUG else "")
INTAKE_FALLBACK_SERVICE_CODE = os.environ.get(
    "INTAKE_FALLBACK_SERVICE_CODE", "baltimore-ecc-miscellaneous-request"
)
INTAKE_EMAIL_SECRET = os.environ.get("INTAKE_EMAIL_SECRET", "")  # for POST /intake/email/inbound

# --- Notifications (docs/decisions/0008) ----------------------------------------------------
# Links in messages point here.
PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "http://127.0.0.1:8000")
# Outgoing SMS through a Twilio-compatible REST API. In development, the local fake
# (`cityhall fake_twilio`, started by `make demo`) on port 8031.
TWILIO_API_BASE_URL = os.environ.get(
    "TWILIO_API_BASE_URL", "http://127.0.0.1:8031" if DEBUG else "https://api.twilio.com"
)
TWILIO_ACCOUNT_SID = os.environ.get(
    "TWILIO_ACCOUNT_SID", "ACfake0000000000000000000000000000" if DEBUG else ""
)
TWILIO_FROM_NUMBER = os.environ.get("TWILIO_FROM_NUMBER", "+14105550311")
TWILIO_MESSAGING_SERVICE_SID = os.environ.get("TWILIO_MESSAGING_SERVICE_SID", "")
NOTIFY_LEASE_SECONDS = int(os.environ.get("NOTIFY_LEASE_SECONDS", "30"))
NOTIFY_MAX_ATTEMPTS = int(os.environ.get("NOTIFY_MAX_ATTEMPTS", "6"))
# Sends per second per channel across all workers (0: no limit of our own).
NOTIFY_RATE_LIMITS = {
    "sms": int(os.environ.get("NOTIFY_SMS_PER_SECOND", "0")),
    "email": int(os.environ.get("NOTIFY_EMAIL_PER_SECOND", "0")),
}
NOTIFY_DIGEST_HOUR = int(os.environ.get("NOTIFY_DIGEST_HOUR", "7"))
# Sent messages keep where they went and what they said this long (counts stay for good).
NOTIFY_RETENTION_DAYS = int(os.environ.get("NOTIFY_RETENTION_DAYS", "90"))

# --- Single sign-on: the city as an OpenID Connect provider (docs/decisions/0009) -----------
IDP_OIDC_ADAPTER = "cityhall.sso.adapter.CityOIDCAdapter"
IDP_OIDC_ID_TOKEN_EXPIRES_IN = 5 * 60
IDP_OIDC_ACCESS_TOKEN_EXPIRES_IN = 60 * 60
IDP_OIDC_REFRESH_TOKEN_EXPIRES_IN = 30 * 24 * 60 * 60
IDP_OIDC_RP_INITIATED_LOGOUT_ASKS_FOR_OP_LOGOUT = True
# Signing keys: PEM files named by creation time (`cityhall oidc-key rotate` adds one). Made
# on first use in development; in production, create one before starting.
OIDC_KEYS_DIR = Path(os.environ.get("OIDC_KEYS_DIR", DATA_DIR / "oidc-keys"))
# The assistant's trained intent model (`cityhall assistant train`; decisions/0012), and how
# long idle conversations are kept (`cityhall assistant forget`, nightly).
ASSISTANT_MODEL_DIR = Path(os.environ.get("ASSISTANT_MODEL_DIR", DATA_DIR / "assistant"))
ASSISTANT_RETENTION_DAYS = int(os.environ.get("ASSISTANT_RETENTION_DAYS", "90"))
# Personal suggestions (decisions/0010): days engagement events are kept, and how often each
# web process looks for a newly trained model (`cityhall personalization-nightly` trains).
PERSONALIZATION_EVENT_RETENTION_DAYS = int(
    os.environ.get("PERSONALIZATION_EVENT_RETENTION_DAYS", "365")
)
PERSONALIZATION_REFRESH_SECONDS = int(os.environ.get("PERSONALIZATION_REFRESH_SECONDS", "60"))
# Open data (decisions/0011): where the daily files are written, extra request-type codes
# whose places are coarsened (about a person or a home), and the contact in data.json.
OPEN_DATA_DIR = Path(os.environ.get("OPEN_DATA_DIR", DATA_DIR / "open-data"))
OPEN_DATA_COARSEN_TYPES = tuple(
    code for code in os.environ.get("OPEN_DATA_COARSEN_TYPES", "").split(",") if code.strip()
)
OPEN_DATA_CONTACT_EMAIL = os.environ.get("OPEN_DATA_CONTACT_EMAIL", "opendata@example.org")
OIDC_AUTO_CREATE_KEY = env_bool("OIDC_AUTO_CREATE_KEY", DEBUG)
SSO_WEBHOOK_TIMEOUT = float(os.environ.get("SSO_WEBHOOK_TIMEOUT", "5"))
SSO_WEBHOOK_MAX_ATTEMPTS = int(os.environ.get("SSO_WEBHOOK_MAX_ATTEMPTS", "30"))

# --- Security -------------------------------------------------------------------------------
SECURE_COOKIES = env_bool("SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 60 * 60 * 24 * 14
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
if env_bool("BEHIND_TLS_PROXY", False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
DATA_UPLOAD_MAX_MEMORY_SIZE = 2_621_440

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
        "base-uri": ["'self'"],
        "object-src": ["'none'"],
    }
}

# --- Logging: no personal data; request paths only -----------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"scrub_pii": {"()": "cityhall.core.logging.ScrubPIIFilter"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "filters": ["scrub_pii"]},
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Replace Django's own handlers, which would print records again, unscrubbed.
        "django": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "WARNING"},
    },
}
