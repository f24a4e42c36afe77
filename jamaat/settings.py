"""Settings, all from the environment.

Production posture by default: DEBUG is off and SECRET_KEY is required unless JAMAAT_DEMO=1 or
DEBUG=1 is set (the demo command sets JAMAAT_DEMO itself). SQLite in WAL mode unless DATABASE_URL
is set; Huey on SQLite unless REDIS_URL is set.
"""

import os
import sys
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent
DATA_DIR = Path(os.environ.get("JAMAAT_DATA_DIR", Path.cwd() / "var")).resolve()


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


TESTING = "pytest" in sys.modules or env_bool("JAMAAT_TESTING")
DEMO = env_bool("JAMAAT_DEMO")
DEBUG = env_bool("DEBUG")

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if DEBUG or DEMO or TESTING:
        SECRET_KEY = "insecure-local-only-key-do-not-use-in-production"  # noqa: S105
    else:
        raise ImproperlyConfigured(
            "SECRET_KEY must be set in the environment (or run with DEBUG=1 / `jamaat demo`)."
        )

ALLOWED_HOSTS = [h for h in os.environ.get("ALLOWED_HOSTS", "").split(",") if h] or (
    ["127.0.0.1", "localhost", "testserver"] if (DEBUG or DEMO or TESTING) else []
)
CSRF_TRUSTED_ORIGINS = [o for o in os.environ.get("CSRF_TRUSTED_ORIGINS", "").split(",") if o]
SITE_URL = os.environ.get("SITE_URL", "http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "huey.contrib.djhuey",
    "jamaat.core",
    "jamaat.municipalities",
    "jamaat.plans",
    "jamaat.documents",
    "jamaat.messaging",
    "jamaat.news",
    "jamaat.channels",
    "jamaat.digests",
    "jamaat.printed",
    "jamaat.reports",
    "jamaat.meetings",
    "jamaat.initiatives",
    "jamaat.acts",
    "jamaat.tos",
    "jamaat.surveys",
    "jamaat.appeals",
    "jamaat.paper",
    "jamaat.analysis",
    "jamaat.api",
    "jamaat.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "jamaat.core.middleware.TextGZipMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "jamaat.core.middleware.UserLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "jamaat.urls"
WSGI_APPLICATION = "jamaat.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "jamaat.core.context_processors.jamaat",
            ],
        },
    }
]

# --- Database -------------------------------------------------------------------------------
if os.environ.get("DATABASE_URL"):
    DATABASES = {
        "default": dj_database_url.parse(
            os.environ["DATABASE_URL"], conn_max_age=60, conn_health_checks=True
        )
    }
else:
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": os.environ.get("SQLITE_PATH", str(DATA_DIR / "jamaat.sqlite3")),
            # Opening a connection and running the pragmas costs ~2.4 ms: keep it per thread.
            "CONN_MAX_AGE": 60,
            "CONN_HEALTH_CHECKS": True,
            "OPTIONS": {
                # WAL lets readers proceed while one writer writes; IMMEDIATE avoids
                # "database is locked" upgrades inside transactions.
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
                ),
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "core.User"

# --- Background work (Huey) -----------------------------------------------------------------
if os.environ.get("REDIS_URL"):
    HUEY = {
        "huey_class": "huey.RedisHuey",
        "name": "jamaat",
        "url": os.environ["REDIS_URL"],
        "immediate": TESTING,
    }
else:
    HUEY = {
        "huey_class": "huey.SqliteHuey",
        "name": "jamaat",
        "filename": str(DATA_DIR / "huey.sqlite3"),
        "immediate": TESTING,
    }
HUEY["consumer"] = {"workers": 2, "worker_type": "thread"}

# The header your reverse proxy puts the client's address in, as Django names it (e.g.
# "HTTP_X_REAL_IP"); without it every resident behind the proxy shares the proxy's address and
# per-address limits on public forms would count them together.
CLIENT_IP_HEADER = os.environ.get("CLIENT_IP_HEADER", "")

# Soft limit on answers to one questionnaire round from one address per day (web form and API).
SURVEYS_RESPONSES_PER_IP_PER_DAY = int(os.environ.get("SURVEYS_RESPONSES_PER_IP_PER_DAY", 30))

# Confirmation codes to residents' phones (initiatives' support, questionnaires): see
# `jamaat.messaging.codes`. By WhatsApp when the municipality's WhatsApp is configured, else the
# SMS sender (the console until an SMS gateway adapter exists).
PHONE_CODE_WHATSAPP_TEMPLATE = os.environ.get("PHONE_CODE_WHATSAPP_TEMPLATE", "")
PHONE_CODE_SENDER = os.environ.get(
    "PHONE_CODE_SENDER", "jamaat.messaging.codes.MessagingCodeSender"
)
PHONE_SMS_CODE_SENDER = os.environ.get(
    "PHONE_SMS_CODE_SENDER", "jamaat.messaging.codes.ConsoleCodeSender"
)

# --- Cache: per-address limits on public forms (`jamaat.core.ratelimit`) ----------------------
# Shared by every server process, so a limit holds however many gunicorn workers run: Redis when
# REDIS_URL is set (atomic counters, any number of machines), else files under DATA_DIR/cache
# (one machine). Tests use local memory.
if TESTING:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
elif os.environ.get("REDIS_URL"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": os.environ["REDIS_URL"],
            "KEY_PREFIX": "jamaat",
        }
    }
else:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "cache"),
            "OPTIONS": {"MAX_ENTRIES": 20000},
        }
    }

# --- Auth -----------------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "home"

# --- i18n -----------------------------------------------------------------------------------
LANGUAGE_CODE = "ky"
LANGUAGES = [("ky", "Кыргызча"), ("ru", "Русский"), ("en", "English")]
CONTENT_LANGUAGES = ("ky", "ru")
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Bishkek"
USE_I18N = True
USE_TZ = True

# --- Static and media -----------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", DATA_DIR / "static"))
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if (TESTING or DEBUG)
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
if os.environ.get("S3_BUCKET"):
    # S3-compatible media at scale (django-storages must be installed alongside).
    STORAGES["default"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["S3_BUCKET"],
            "endpoint_url": os.environ.get("S3_ENDPOINT_URL"),
            "access_key": os.environ.get("S3_ACCESS_KEY"),
            "secret_key": os.environ.get("S3_SECRET_KEY"),
        },
    }
STATIC_ROOT.mkdir(parents=True, exist_ok=True)
WHITENOISE_MAX_AGE = 31536000 if not DEBUG else 0

# Uploads: evidence files (photos, scans, PDF).
UPLOAD_MAX_BYTES = int(os.environ.get("UPLOAD_MAX_BYTES", 10 * 1024 * 1024))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
IMAGE_MAX_SIDE = 1600

# --- Email ----------------------------------------------------------------------------------
EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS")
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Jamaat <noreply@jamaat.kg>")

# --- Security -------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
CSRF_COOKIE_HTTPONLY = False
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if env_bool("HTTPS"):
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 31536000
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "INFO"},
        "huey": {"propagate": False},  # run_huey installs its own handler
    },
}

# Plan defaults.
PLAN_DEFAULT_PERIOD = (2025, 2028)
REMINDER_HOUR = 8
