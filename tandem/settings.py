"""Tandem's one settings file. Everything that differs between a laptop trial and a
production cluster comes from the environment; the defaults are a safe local trial."""

import os
import sys
from pathlib import Path

import dj_database_url

from tandem.lib.envconfig import env_bool, env_list, parse_email_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", BASE_DIR / "var"))

DEBUG = env_bool("DEBUG", False)
# Test runs get fast hashing, in-memory email and jobs that run at once.
TESTING = env_bool("TANDEM_TESTING", "pytest" in sys.modules)

# A development key only when DEBUG is on; production must set its own.
SECRET_KEY = os.environ.get("SECRET_KEY") or (
    "django-insecure-tandem-development-key-never-use-in-production" if DEBUG or TESTING else ""
)
if not SECRET_KEY:
    raise RuntimeError("Set SECRET_KEY (or DEBUG=true for a local trial).")

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_htmx",
    "ninja",  # the API docs use its bundled Swagger UI, not a CDN (self-hosted, offline)
    "django_tasks",
    "django_tasks_db",
    "tandem.accounts",
    "tandem.people",
    "tandem.programs",
    "tandem.assessments",
    "tandem.coaching",
    "tandem.mentoring",
    "tandem.training",
    "tandem.conversations",
    "tandem.succession",
    "tandem.insights",
    "tandem.privacy",
]

MIDDLEWARE = [
    # First, so its request id and timing cover everything below it.
    "tandem.logging.RequestLogMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "tandem.security.ContentSecurityPolicyMiddleware",
    # Before sessions and auth: a throttled address costs one query, nothing more.
    "tandem.security.TokenThrottleMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "tandem.accounts.middleware.ViewerTimezoneMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "tandem" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.accounts.context_processors.navigation_context",
            ],
        },
    },
]

# SQLite under var/ by default (WAL, so readers do not block the writer);
# DATABASE_URL=postgres://... for production and several app servers.
DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Failed logins per account and per address before a pause (see accounts.throttle).
TANDEM_LOGIN_MAX_FAILURES = int(os.environ.get("TANDEM_LOGIN_MAX_FAILURES", "5"))
TANDEM_LOGIN_LOCKOUT_SECONDS = int(os.environ.get("TANDEM_LOGIN_LOCKOUT_SECONDS", "900"))
# Reverse proxies in front of Tandem that append to X-Forwarded-For (0: none, so the
# throttles use the connection's address).
TANDEM_PROXY_COUNT = int(os.environ.get("TANDEM_PROXY_COUNT", "0"))
# Unknown rater/pulse links, calendar feed URLs or API tokens per address and window
# before that address gets 429 for that kind of token (see tandem.security).
TANDEM_TOKEN_MAX_FAILURES = int(os.environ.get("TANDEM_TOKEN_MAX_FAILURES", "20"))
TANDEM_TOKEN_FAILURE_WINDOW_SECONDS = int(
    os.environ.get("TANDEM_TOKEN_FAILURE_WINDOW_SECONDS", "900")
)

# Sessions live in the database so any app server can answer any request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 60 * 60 * 12

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHES = {
    "default": (
        {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": REDIS_URL}
        if REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English")]
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "tandem" / "locale"]

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
# The project's own stylesheet and vendored scripts (htmx); apps keep theirs in <app>/static.
STATICFILES_DIRS = [BASE_DIR / "tandem" / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
MEDIA_ROOT = VAR_DIR / "media"
# Request bodies other than files (forms, JSON) beyond this are refused with a 400;
# uploads beyond FILE_UPLOAD_MAX_MEMORY_SIZE spill to a temporary file, not memory.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
# The largest file any upload form accepts (an HRIS export of 100k people is ~15 MB).
TANDEM_MAX_IMPORT_BYTES = int(os.environ.get("TANDEM_MAX_IMPORT_BYTES", str(50 * 1024 * 1024)))

# Email: console in a trial; EMAIL_URL=smtp://user:password@host:587?tls=true in production.
_email = parse_email_url(
    os.environ.get("EMAIL_URL") or ("console://" if DEBUG else "smtp://localhost:25")
)
EMAIL_BACKEND = _email.backend
EMAIL_HOST = _email.host
EMAIL_PORT = _email.port
EMAIL_HOST_USER = _email.user
EMAIL_HOST_PASSWORD = _email.password
EMAIL_USE_TLS = _email.use_tls
EMAIL_USE_SSL = _email.use_ssl
if _email.file_path:
    EMAIL_FILE_PATH = _email.file_path
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Tandem <tandem@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Confidential fields are encrypted with these Fernet keys, newest first; older keys
# still decrypt, so a key can be rotated without downtime (see lib.crypto).
TANDEM_ENCRYPTION_KEYS = env_list("TANDEM_ENCRYPTION_KEYS", [])
if DEBUG and not TESTING and not TANDEM_ENCRYPTION_KEYS:
    # A trial (`make demo`) gets a key of its own, made once and kept beside its
    # database so the notes stay readable across restarts. Production refuses to start
    # without configured keys (accounts.checks).
    from cryptography.fernet import Fernet

    _dev_key = VAR_DIR / "development-encryption.key"
    if not _dev_key.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        _dev_key.write_bytes(Fernet.generate_key())
        _dev_key.chmod(0o600)
    TANDEM_ENCRYPTION_KEYS = [_dev_key.read_text().strip()]

# Background jobs: the database is the queue, so no broker is needed.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# /healthz answers 503 when the oldest job that is due has waited longer than this.
TANDEM_HEALTH_MAX_QUEUE_LAG_SECONDS = int(
    os.environ.get("TANDEM_HEALTH_MAX_QUEUE_LAG_SECONDS", "300")
)
# A job claimed by a worker on another host that runs longer is presumed abandoned.
TANDEM_TASK_LEASE_SECONDS = int(os.environ.get("TANDEM_TASK_LEASE_SECONDS", "3600"))

TANDEM_BASE_URL = os.environ.get("TANDEM_BASE_URL", "http://127.0.0.1:8000")

# Production hardening; each can be relaxed from the environment behind a proxy.
if not DEBUG and not TESTING:
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
    CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", True)
    SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", True)
SESSION_COOKIE_HTTPONLY = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

NINJA_PAGINATION_PER_PAGE = 50
NINJA_PAGINATION_MAX_LIMIT = 500

# LOG_FORMAT=json: one JSON object per line for a log collector; plain for a terminal.
# Every line gets the request id, and credentials in URLs are redacted (tandem.logging).
LOG_FORMAT = os.environ.get("LOG_FORMAT", "plain").strip().lower()
if LOG_FORMAT not in {"plain", "json"}:
    raise ValueError(f"LOG_FORMAT must be plain or json, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"request_context": {"()": "tandem.logging.RequestContextFilter"}},
    "formatters": {
        "plain": {"()": "tandem.logging.PlainFormatter"},
        "json": {"()": "tandem.logging.JsonFormatter"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_context"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        "django_tasks": {"level": "WARNING"},
        # tandem.request logs every answer with its status; django.request's 4xx
        # warnings would say the same twice.
        "django.request": {"level": "ERROR"},
        # Runserver's own access lines duplicate tandem.request's.
        "django.server": {"level": "WARNING"},
    },
}

if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
    # Tests run without collectstatic: look files up on request rather than scan STATIC_ROOT.
    WHITENOISE_AUTOREFRESH = True
    TANDEM_ENCRYPTION_KEYS = TANDEM_ENCRYPTION_KEYS or [
        "rxlocD6W9OZOcQkbOkX3QTOjh3aLIonhpDcs9g3JVYQ="
    ]
