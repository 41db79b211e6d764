"""Settings for Ouderportaal, read from the environment (django-environ).

The same module serves the demo, the tests and production: only environment variables differ
(DESIGN.md, "Runtime"). A value that cannot be parsed stops start-up with a message naming the
variable.
"""

import base64
from pathlib import Path
from typing import Any

import django
import environ
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

if django.VERSION < (6, 1):
    raise ImproperlyConfigured(
        f"Ouderportaal needs Django 6.1 or newer; this is {django.get_version()}. "
        "Run 'make setup' to install the locked versions into .venv."
    )

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")


def _read(name, reader, **kwargs):
    """Read one variable; a bad value stops start-up and says which variable is wrong."""
    try:
        return reader(name, **kwargs)
    except ImproperlyConfigured:
        raise
    except Exception as exc:  # environ raises ValueError, KeyError, TypeError...
        raise ImproperlyConfigured(
            f"Environment variable {name} has an invalid value: {exc}"
        ) from exc


DEBUG = _read("DEBUG", env.bool, default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set when DEBUG is off (for the demo, set DEBUG=1)."
        )
    SECRET_KEY = "insecure-demo-key-only-for-debug"  # noqa: S105 - DEBUG only

# Key rotation (issue 19, docs/deployment.md): old keys keep signatures and sessions readable
# while they are listed here; two-factor secrets have a key of their own (accounts/mfa_adapter).
SECRET_KEY_FALLBACKS = _read("SECRET_KEY_FALLBACKS", env.list, default=[])
MFA_SECRETS_KEY = env.str("MFA_SECRETS_KEY", default="")
MFA_SECRETS_KEY_FALLBACKS = _read("MFA_SECRETS_KEY_FALLBACKS", env.list, default=[])

ALLOWED_HOSTS = _read("ALLOWED_HOSTS", env.list, default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = _read("CSRF_TRUSTED_ORIGINS", env.list, default=[])
_site = _read("SITE_URL", env.url, default="http://127.0.0.1:8000")
if _site.scheme not in {"http", "https"} or not _site.netloc:
    raise ImproperlyConfigured(
        "Environment variable SITE_URL must be like https://portal.example.org"
    )
SITE_URL = _site.geturl().rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.usersessions",
    "health_check",
    "accounts",
    "daycare",
    "files",
    "consent",
    "diary",
    "photos",
    "absences",
    "messaging",
    "newsletters",
    "retention",
    "audit",
    "outbox",
    "push",
    # Last: the wiring and the pages that show every app together (portal/apps.py).
    "portal",
]

MIDDLEWARE = [
    "portal.logging.RequestIdMiddleware",
    "portal.security.SecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "portal.security.AllowedMethodsMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "portal.middleware.DutchFirstLocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "portal.logging.UserIdMiddleware",
    "portal.security.PrivateCacheMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "accounts.middleware.UserSessionsMiddleware",  # allauth's, at most once a minute
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.SessionTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "daycare.guards.StaffGuardMiddleware",
    "consent.middleware.StatementAcceptanceMiddleware",
    "consent.gate.ConsentGateMiddleware",
]

ROOT_URLCONF = "portal.urls"
WSGI_APPLICATION = "portal.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "portal.context_processors.portal",
            ],
            # R25: the date filter writes Dutch months in lower case ("4 dec").
            "builtins": ["portal.dates", "portal.icons"],
        },
    },
]

# Database: SQLite by default; PostgreSQL through psycopg 3 with its connection pool.
try:
    DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
except Exception as exc:
    raise ImproperlyConfigured(f"Environment variable DATABASE_URL is invalid: {exc}") from exc
if not DATABASES["default"].get("ENGINE"):
    raise ImproperlyConfigured(
        "Environment variable DATABASE_URL is invalid: use postgres://user@host:5432/name "
        "or sqlite:////path/to/db.sqlite3."
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a pool that fails fast while the database cannot be reached, so a
    # request does not hold its worker for DATABASE_POOL_TIMEOUT (issue 21; portal/pgpool).
    DATABASES["default"]["ENGINE"] = "portal.pgpool"
    DATABASES["default"].setdefault("OPTIONS", {})
    # A database that does not answer at all (no "connection refused") costs 3 s, not forever.
    DATABASES["default"]["OPTIONS"].setdefault("connect_timeout", 3)
    from psycopg_pool import ConnectionPool

    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": _read("DATABASE_POOL_MIN", env.int, default=1),
        "max_size": _read("DATABASE_POOL_MAX", env.int, default=8),
        # A connection broken by a database restart is replaced before a request gets it.
        "check": ConnectionPool.check_connection,
        "timeout": _read("DATABASE_POOL_TIMEOUT", env.float, default=10.0),
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0  # the pool keeps connections
elif DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"].setdefault("OPTIONS", {})
    DATABASES["default"]["OPTIONS"].update(
        {"transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
else:
    raise ImproperlyConfigured("DATABASE_URL must point to PostgreSQL or SQLite.")
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Redis: cache, rate limits and Celery broker. Absent: local memory and eager Celery.
REDIS_URL = env.str("REDIS_URL", default="")
if REDIS_URL and not REDIS_URL.startswith(("redis://", "rediss://", "unix://")):
    raise ImproperlyConfigured("Environment variable REDIS_URL must start with redis://.")
if REDIS_URL:
    CACHES = {
        "default": {
            # An outage is a cache miss, not an error page (portal/cache.py).
            "BACKEND": "portal.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": "portal",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 2},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions live in the database only, never in the cache: a logout (or "log out everywhere")
# during a Redis outage deletes the one copy there is, so the old cookie cannot work again when
# Redis returns (issue 21; a cached copy outlived it). One indexed read per request, about what
# a Redis round trip costs.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

CELERY_BROKER_URL = REDIS_URL or "memory://"
# A task taken by a worker that dies (SIGKILL, lost machine) goes back to the queue after this
# many seconds (acks_late): longer than any task runs, shorter than anyone waits for it.
# The longest tasks: a retention slice (RETENTION_SLICE_SECONDS, 120 s, plus one batch), an
# export ZIP (a minute for a child with hundreds of photos), a variants retry waiting up to
# 120 s. 10 minutes covers them; a killed worker's task waits no longer than that (issue 21).
# Running workers look for such tasks every 10 s (unacked_restore_interval); with kombu's
# default throttle a busy worker looks only every 10th time (100 s; an idle one looks on each
# empty poll anyway), which would add up to 100 s to the timeout.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": _read("CELERY_VISIBILITY_TIMEOUT", env.int, default=600),
    "unacked_restore_interval": 10,
    "unacked_restore_throttle": 1,
    "socket_connect_timeout": 3,
}
# The daily retention run stops after this many seconds and sends itself again (a slice).
RETENTION_SLICE_SECONDS = _read("RETENTION_SLICE_SECONDS", env.int, default=120)
CELERY_TASK_ALWAYS_EAGER = _read("CELERY_TASK_ALWAYS_EAGER", env.bool, default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True

# Accounts (R15, R23): e-mail login through allauth, two-factor for staff.
AUTH_USER_MODEL = "accounts.User"
# Django's and allauth's backends, reading the request's user together with what every
# request asks about them (the privacy statement, a staff role: portal/backends.py, issue 16).
AUTHENTICATION_BACKENDS = [
    "portal.backends.ModelBackend",
    "portal.backends.AuthenticationBackend",
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
LOGIN_REDIRECT_URL = "home"
ACCOUNT_ADAPTER = "accounts.adapter.PortalAccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_REAUTHENTICATION_REQUIRED = True
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[Ouderportaal] "
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # "key" is client + account (accounts/adapter.py), never the account alone: a stranger
    # cannot lock its owner out (issue 19). accounts/security.py adds growing delays per pair.
    "login_failed": "10/m/ip,30/h/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_password": "5/m/user",
    # Each added address gets a confirmation e-mail: per account and per address (issue 19).
    "manage_email": "10/m/user,5/h/user",
    "confirm_email": "1/3m/key,3/d/key,5/h/user",
    "reauthenticate": "10/m/user",
}
MFA_ADAPTER = "accounts.mfa_adapter.PortalMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Ouderportaal"
USERSESSIONS_TRACK_ACTIVITY = True

# Internationalisation (R25): Dutch first, English second.
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
# The second folder holds the portal's own Dutch ("u", not "je") for allauth's strings.
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "accounts" / "allauth" / "locale"]
TIME_ZONE = "Europe/Amsterdam"
USE_I18N = True
USE_TZ = True

# Static files (whitenoise) and media (never public: delivered by checking views).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(_read("MEDIA_ROOT", env.str, default=str(BASE_DIR / "media")))
MEDIA_STORAGE = _read("MEDIA_STORAGE", env.str, default="local")
# Lifetime of a signed S3 URL (MEDIA_DELIVERY=signed-url): a link handed out just before a
# withdrawal works at most this long (R4 "at once"; issue 21). The browser follows the redirect
# at once, so a few seconds are enough.
MEDIA_SIGNED_URL_SECONDS = _read("MEDIA_SIGNED_URL_SECONDS", env.int, default=10)
if not 1 <= MEDIA_SIGNED_URL_SECONDS <= 300:
    raise ImproperlyConfigured(
        "Environment variable MEDIA_SIGNED_URL_SECONDS must be between 1 and 300."
    )
if MEDIA_STORAGE == "local":
    _media: dict[str, Any] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": MEDIA_ROOT, "base_url": None},
    }
elif MEDIA_STORAGE == "s3":
    _media = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": _read("S3_BUCKET", env.str),
            "endpoint_url": _read("S3_ENDPOINT_URL", env.str, default=None),
            "region_name": _read("S3_REGION", env.str, default="eu-west-1"),
            "access_key": _read("S3_ACCESS_KEY_ID", env.str, default=None),
            "secret_key": _read("S3_SECRET_ACCESS_KEY", env.str, default=None),
            "default_acl": "private",
            "querystring_auth": True,
            "querystring_expire": MEDIA_SIGNED_URL_SECONDS,
            "file_overwrite": False,
            "signature_version": "s3v4",
        },
    }
else:
    raise ImproperlyConfigured("Environment variable MEDIA_STORAGE must be 'local' or 's3'.")
# How a checked file leaves the server: stream it, X-Accel-Redirect, or a signed S3 URL.
MEDIA_DELIVERY = _read("MEDIA_DELIVERY", env.str, default="stream")
if MEDIA_DELIVERY not in {"stream", "x-accel", "signed-url"}:
    raise ImproperlyConfigured(
        "Environment variable MEDIA_DELIVERY must be 'stream', 'x-accel' or 'signed-url'."
    )
MEDIA_X_ACCEL_PREFIX = _read("MEDIA_X_ACCEL_PREFIX", env.str, default="/protected-media/")
# A new file is queued for deletion until its record is saved; after a crash in between it is
# deleted once this many seconds have passed (longer than any upload or variant takes).
FILES_RESERVATION_SECONDS = _read("FILES_RESERVATION_SECONDS", env.int, default=3600)
# A photo still without its display size and thumbnail this many seconds after its upload is
# sent to the variants task again by the sweeper (beat, photos-sweep-variants; issue 21).
PHOTOS_VARIANTS_SWEEP_AFTER = _read("PHOTOS_VARIANTS_SWEEP_AFTER", env.int, default=300)
# Messages within this many seconds share one e-mail notice (R12).
MESSAGING_NOTIFY_DELAY_SECONDS = _read("MESSAGING_NOTIFY_DELAY_SECONDS", env.int, default=300)
# Photos one worker may upload in any hour (issue 19, finding 9); a batch holds at most 30.
PHOTOS_UPLOADS_PER_HOUR = _read("PHOTOS_UPLOADS_PER_HOUR", env.int, default=300)
STORAGES = {
    "default": _media,
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# E-mail: console in the demo, SMTP (EMAIL_URL, e.g. smtp+tls://user:pass@host:587) for real.
try:
    _email = env.email_url("EMAIL_URL", default="consolemail://")
except Exception as exc:
    raise ImproperlyConfigured(f"Environment variable EMAIL_URL is invalid: {exc}") from exc
_email_options = {
    option: _email[key]
    for key, option in [
        ("EMAIL_HOST", "host"),
        ("EMAIL_PORT", "port"),
        ("EMAIL_HOST_USER", "username"),
        ("EMAIL_HOST_PASSWORD", "password"),
        ("EMAIL_USE_TLS", "use_tls"),
        ("EMAIL_USE_SSL", "use_ssl"),
    ]
    if _email.get(key) and "smtp" in _email["EMAIL_BACKEND"]
}
if _email["EMAIL_BACKEND"].endswith("filebased.EmailBackend"):  # filemail:///var/mail/portal
    _email_options["file_path"] = "/" + _email["EMAIL_FILE_PATH"].lstrip("/")
MAILERS = {"default": {"BACKEND": _email["EMAIL_BACKEND"], "OPTIONS": _email_options}}
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="Ouderportaal <noreply@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Links the privacy statement must carry (R8).
PROCESSOR_PRIVACY_URL = _read(
    "PROCESSOR_PRIVACY_URL", env.url, default="https://www.example.org/verwerker/privacy"
).geturl()
PRIVACY_REGULATION_URL = _read(
    "PRIVACY_REGULATION_URL", env.url, default="https://www.example.org/privacyreglement"
).geturl()
CUSTOMER_SERVICE_URL = _read(
    "CUSTOMER_SERVICE_URL", env.url, default="https://www.example.org/klantenservice"
).geturl()
CUSTOMER_SERVICE_EMAIL = env.str("CUSTOMER_SERVICE_EMAIL", default="klantenservice@example.org")
CUSTOMER_SERVICE_PHONE = env.str("CUSTOMER_SERVICE_PHONE", default="020 123 45 67")
# R7: a new statement version is announced at least this many days before it applies.
STATEMENT_NOTICE_DAYS = _read("STATEMENT_NOTICE_DAYS", env.int, default=30)

# Web push (push/): VAPID keys from `manage.py push_vapid_keys`; without them nothing is sent.
VAPID_PUBLIC_KEY = env.str("VAPID_PUBLIC_KEY", default="")
VAPID_PRIVATE_KEY = env.str("VAPID_PRIVATE_KEY", default="")
VAPID_SUBJECT = env.str("VAPID_SUBJECT", default=f"mailto:{CUSTOMER_SERVICE_EMAIL}")
for _name, _size in (("VAPID_PUBLIC_KEY", 65), ("VAPID_PRIVATE_KEY", 32)):
    _value = globals()[_name]
    try:
        _padded = _value + "=" * (-len(_value) % 4)
        _ok = not _value or len(base64.urlsafe_b64decode(_padded)) == _size
    except ValueError:
        _ok = False
    if not _ok:
        raise ImproperlyConfigured(
            f"Environment variable {_name} is not a key made by 'manage.py push_vapid_keys'."
        )
if not VAPID_SUBJECT.startswith(("mailto:", "https://")):
    raise ImproperlyConfigured(
        "Environment variable VAPID_SUBJECT must start with mailto: or https://."
    )
# Push services a subscription may point at (the server posts to it: no other host is reached).
PUSH_SERVICE_HOSTS = _read(
    "PUSH_SERVICE_HOSTS",
    env.list,
    default=[
        "fcm.googleapis.com",
        "push.services.mozilla.com",
        "push.apple.com",
        "notify.windows.com",
    ],
)

# Security (R22, R23).
SESSION_COOKIE_AGE = _read("SESSION_COOKIE_AGE", env.int, default=60 * 60 * 12)  # absolute
SESSION_IDLE_TIMEOUT = _read("SESSION_IDLE_TIMEOUT", env.int, default=60 * 60)
# Staff tablets stay in a group room: a shorter idle timeout, which polling never extends;
# pages warn SESSION_IDLE_WARNING seconds before it (portal/security.py, issue 19).
STAFF_SESSION_IDLE_TIMEOUT = _read("STAFF_SESSION_IDLE_TIMEOUT", env.int, default=15 * 60)
SESSION_IDLE_WARNING = _read("SESSION_IDLE_WARNING", env.int, default=2 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_HTTPONLY = True
CSRF_FAILURE_VIEW = "portal.security.csrf_failure"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
_secure = _read("SECURE_COOKIES", env.bool, default=not DEBUG)
SESSION_COOKIE_SECURE = _secure
CSRF_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_SECURE = _secure
LANGUAGE_COOKIE_HTTPONLY = True
LANGUAGE_COOKIE_SAMESITE = "Lax"
SECURE_SSL_REDIRECT = _read("SECURE_SSL_REDIRECT", env.bool, default=not DEBUG)
SECURE_REDIRECT_EXEMPT = [r"^health/"]
SECURE_HSTS_SECONDS = _read("SECURE_HSTS_SECONDS", env.int, default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
if _read("BEHIND_TLS_PROXY", env.bool, default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

from django.utils.csp import CSP  # noqa: E402

SECURE_CSP: dict[str, list[str]] = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "worker-src": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
if MEDIA_DELIVERY == "signed-url":
    # <img> follows the checking view's redirect to the bucket: allow that origin for images.
    from urllib.parse import urlsplit

    _endpoint = _media["OPTIONS"].get("endpoint_url") if MEDIA_STORAGE == "s3" else None
    if _endpoint:
        _parts = urlsplit(_endpoint)
        SECURE_CSP["img-src"].append(f"{_parts.scheme}://{_parts.netloc}")
    elif MEDIA_STORAGE == "s3":
        SECURE_CSP["img-src"].append(
            f"https://{_media['OPTIONS']['bucket_name']}.s3.{_media['OPTIONS']['region_name']}"
            ".amazonaws.com"
        )

# Client addresses in the authentication events (accounts/security.py): off unless asked.
LOG_CLIENT_IP = _read("LOG_CLIENT_IP", env.bool, default=False)
LOG_FORMAT = _read("LOG_FORMAT", env.str, default="text" if DEBUG else "json")
if LOG_FORMAT not in {"text", "json"}:
    raise ImproperlyConfigured("Environment variable LOG_FORMAT must be 'text' or 'json'.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "portal.logging.RequestContextFilter"}},
    "formatters": {
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING"},
        "celery.app.trace": {"level": env.str("TASK_LOG_LEVEL", default="WARNING")},
        "kombu": {"level": "ERROR"},
        # One JSON line per request (portal.logging), instead of gunicorn's access log with
        # client addresses; REQUEST_LOG_LEVEL=WARNING turns it off.
        "portal.request": {"level": env.str("REQUEST_LOG_LEVEL", default="INFO")},
    },
}

# /health/ready/ names its components (and their errors) only to the machine itself or to a
# caller sending "Authorization: Bearer <HEALTH_TOKEN>"; everyone else gets "ok" or
# "unavailable" (issue 19, finding 4). Empty: no token is accepted.
HEALTH_TOKEN = env.str("HEALTH_TOKEN", default="")

# bench/ reads the CPU time of each request from a Server-Timing header; off in production.
SERVER_TIMING = _read("SERVER_TIMING", env.bool, default=False)

# Error reporting: off unless a DSN is configured; never sends personal data.
SENTRY_DSN = env.str("SENTRY_DSN", default="")
if SENTRY_DSN:
    import sentry_sdk

    sentry_sdk.init(
        dsn=SENTRY_DSN,
        send_default_pii=False,
        environment=env.str("SENTRY_ENVIRONMENT", default="production"),
        traces_sample_rate=_read("SENTRY_TRACES_SAMPLE_RATE", env.float, default=0.0),
    )
