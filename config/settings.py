"""Rantau settings. Every deploy-time value comes from the environment (see .env.example)."""

from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONE, SELF
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

DEBUG = env.bool("DEBUG", default=False)
SECRET_KEY = env.str("SECRET_KEY", default="" if not DEBUG else "insecure-dev-key-only-for-debug")
if not SECRET_KEY:
    # Fail loudly rather than run production with a guessable key.
    raise environ.ImproperlyConfigured("Set SECRET_KEY (or DEBUG=True for local development).")
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "django.contrib.humanize",
    "django_filters",
    "django_htmx",
    "csp",
    "config.apps.AxesConfig",
    "pgtrigger",
    "config.apps.HistoryConfig",
    "pghistory.admin",
    "django_tasks",
    "config.apps.TasksDatabaseConfig",
    "core",
    "jobs",
    "accounts",
    "programmes",
    "candidates",
    "placements",
    "protection",
    "messaging",
    "privacy",
    "scholarships",
    "dashboards",
    "demo",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # In place of Django's LocaleMiddleware: the user's choice or Bahasa Indonesia, never the browser's.
    "accounts.middleware.LanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Wraps the views: an empty 405 becomes the house error page.
    "core.errors.MethodNotAllowedMiddleware",
    # After the messages middleware: a timeout says why the user has to sign in again.
    "accounts.middleware.SessionTimeoutMiddleware",
    "accounts.middleware.PrivatePagesMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "pghistory.middleware.HistoryMiddleware",
    # Last, so that a lockout answers before any view runs.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

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
                "accounts.context_processors.scope",
            ],
        },
    },
]

# Django's form renderer, with the <input> widgets written without three template renders each.
FORM_RENDERER = "core.form_renderer.FormRenderer"

# --- Database: PostgreSQL only. Without DATABASE_URL an embedded server under var/ is started on
# first use (config/embedded_postgres), so a new machine needs no database server.
CONN_MAX_AGE = env.int("CONN_MAX_AGE", default=600)
if env.str("DATABASE_URL", default=""):
    DATABASES = {"default": env.db("DATABASE_URL")}
else:
    DATABASES = {
        "default": {
            "ENGINE": "config.embedded_postgres",
            "NAME": env.str("EMBEDDED_DATABASE_NAME", default="rantau"),
            "EMBEDDED_DATABASE": env.str("EMBEDDED_DATABASE_NAME", default="rantau"),
            "USER": "postgres",
            "PGDATA": env.path("EMBEDDED_PGDATA", default=BASE_DIR / "var" / "pgdata"),
        }
    }
DATABASES["default"]["CONN_MAX_AGE"] = CONN_MAX_AGE
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# Several test runs on one server (parallel sessions, CI) each need their own test database.
if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "accounts.backends.ModelBackendWithMunicipality",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# --- Sessions: 30 minutes idle, 12 hours at most (accounts.middleware.SessionTimeoutMiddleware).
# Database sessions with a user column, so deactivating a user ends their sessions (accounts.services).
SESSION_ENGINE = "accounts.sessions"
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_COOKIE_AGE = env.int("SESSION_ABSOLUTE_TIMEOUT", default=12 * 60 * 60)
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Login lockout (django-axes): 5 failures for a username from one address lock it for 30 minutes.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
# 429 with the lock's length in the user's language (templates/accounts/locked_out.html).
AXES_LOCKOUT_CALLABLE = "accounts.views.locked_out"
AXES_ENABLED = env.bool("AXES_ENABLED", default=True)

# --- Language and time
LANGUAGE_CODE = "id"
LANGUAGES = [("id", _("Bahasa Indonesia")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Jakarta"
USE_I18N = True
USE_TZ = True

# --- Static files (whitenoise) and private uploads
STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    # Uploaded documents hold personal data: they live outside any served directory and are
    # streamed only by views that check the user's scope. No MEDIA_URL on purpose.
    "default": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": env.path("PRIVATE_MEDIA_ROOT", default=BASE_DIR / "var" / "private")},
    },
    # The manifest (hashed names, long cache) needs `collectstatic`; tests and DEBUG run without it.
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if env.bool("STATIC_MANIFEST", default=not DEBUG)
        else "django.contrib.staticfiles.storage.StaticFilesStorage",
    },
}
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
FILE_UPLOAD_PERMISSIONS = 0o600
FILE_UPLOAD_DIRECTORY_PERMISSIONS = 0o700

# --- Security headers. With DEBUG=False, `check --deploy --fail-level WARNING` is clean.
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
if env.bool("USE_X_FORWARDED_PROTO", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = env.bool("SECURE_COOKIES", default=not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SILENCED_SYSTEM_CHECKS = env.list("SILENCED_SYSTEM_CHECKS", default=[])

# No inline scripts or styles anywhere: the templates load everything from static files.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        # Bootstrap draws its form icons as data: SVG in CSS.
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# --- Logging: to stdout, no request bodies; personal data is never passed to a logger, and the
# "personal_data" filter masks NIK- and passport-like numbers that a library or an error might log.
LOG_LEVEL = env.str("LOG_LEVEL", default="INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {"personal_data": {"()": "accounts.log_filters.MaskPersonalDataFilter"}},
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["personal_data"]},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Through the root handler only (Django's own console handler would print DEBUG-time
        # messages a second time, unmasked); runserver's request lines too, masked.
        "django": {"handlers": [], "level": "INFO"},
        "django.server": {"handlers": ["console"], "level": "INFO", "propagate": False},
        "django.db.backends": {"level": "INFO"},
        "embedded_postgres": {"level": "WARNING"},
        "axes": {"level": "WARNING"},
    },
}

# --- The data-exchange API (api/): token clients only, one JSON error shape, cursor pages.
# Its addresses: machine clients that keep their own error shape (core.errors) and read their own
# Accept-Language (accounts.middleware.LanguageMiddleware).
MACHINE_PATH_PREFIX = "/api/"
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["api.auth.TokenAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["api.auth.ClientScopes"],
    "DEFAULT_THROTTLE_CLASSES": ["api.auth.ClientThrottle"],
    "DEFAULT_PAGINATION_CLASS": "api.pagination.Pagination",
    "DEFAULT_FILTER_BACKENDS": ["api.filters.FilterBackend"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": ["rest_framework.parsers.JSONParser"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
}
# Requests per API client; the count lives in the cache (per process without a shared cache).
API_THROTTLE_RATE = env.str("API_THROTTLE_RATE", default="600/minute")
SPECTACULAR_SETTINGS = {
    "TITLE": "Rantau API",
    "DESCRIPTION": "Data exchange for one municipality's labour office (or national aggregates).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One schema name per shared choice set (the same enum on several fields and resources).
    "ENUM_NAME_OVERRIDES": {
        "Sex": "core.choices.Sex",
        "Education": "core.choices.Education",
        "LanguageTest": "core.choices.LanguageTest",
        "DocumentType": "core.choices.DocumentType",
        "PlacementStage": "placements.models.PlacementStage",
        "AgreementStage": "programmes.models.AgreementStage",
        "Payer": "programmes.models.Payer",
    },
}

# --- Application settings
RANTAU_DEMO_ALLOWED = env.bool("RANTAU_DEMO_ALLOWED", default=DEBUG)

# --- Background jobs (jobs/): Django's tasks API (the django-tasks backport) on the database backend,
# so a job is a row written in the same transaction as the change that caused it. Workers:
# `manage.py db_worker --queue-name '*'` (any number, on any machine, one database); the daily jobs
# below are enqueued by `manage.py run_scheduler` (one or several; each job runs once a day).
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}
# name -> task path and local time of day (TIME_ZONE). Each runs once per day, whichever scheduler sees it first.
RANTAU_SCHEDULE = {
    "clearsessions": {"task": "jobs.tasks.clear_sessions", "at": "02:30"},
    "prune-job-results": {"task": "jobs.tasks.prune_job_results", "at": "02:45"},
    "reminders-email": {"task": "messaging.tasks.email_daily_reminders", "at": "06:30"},
    "webhooks-sweep": {"task": "api.tasks.deliver_stranded_webhooks", "at": "03:00"},
    "retention": {"task": "privacy.tasks.apply_retention_daily", "at": "03:15"},
}
# Finished job rows are deleted after this many days (failed ones are kept twice as long).
JOB_RESULTS_KEEP_DAYS = env.int("JOB_RESULTS_KEEP_DAYS", default=30)
# Files made by jobs users start (large exports; imports keep only their checked rows) are personal data:
# they and their jobs are deleted this many days after the job ended.
JOB_FILES_KEEP_DAYS = env.int("JOB_FILES_KEEP_DAYS", default=7)

# --- Messages to candidates (messaging/). Each channel has a provider: "outbox" (the default) only
# records the message in the database, so nothing leaves the machine; the others are real services.
MESSAGING_PROVIDERS = {
    "email": env.str("MESSAGING_EMAIL_PROVIDER", default="outbox"),  # outbox | smtp
    "whatsapp": env.str("MESSAGING_WHATSAPP_PROVIDER", default="outbox"),  # outbox | whatsapp_cloud
    "sms": env.str("MESSAGING_SMS_PROVIDER", default="outbox"),  # outbox | vonage
}
# Seconds to wait before the 2nd, 3rd, ... attempt of a message whose provider is down; then "failed".
MESSAGING_RETRY_DELAYS = env.list("MESSAGING_RETRY_DELAYS", cast=int, default=[60, 300, 1800, 7200])
WHATSAPP_API_URL = env.str("WHATSAPP_API_URL", default="https://graph.facebook.com/v21.0")
WHATSAPP_PHONE_NUMBER_ID = env.str("WHATSAPP_PHONE_NUMBER_ID", default="")
WHATSAPP_TOKEN = env.str("WHATSAPP_TOKEN", default="")
# Delivery reports at /messages/delivery/whatsapp_cloud/: signed with the app secret; the verify token
# answers Meta's check of the address. Unset: the address answers 404.
WHATSAPP_APP_SECRET = env.str("WHATSAPP_APP_SECRET", default="")
WHATSAPP_WEBHOOK_VERIFY_TOKEN = env.str("WHATSAPP_WEBHOOK_VERIFY_TOKEN", default="")
VONAGE_SMS_URL = env.str("VONAGE_SMS_URL", default="https://rest.nexmo.com/sms/json")
VONAGE_API_KEY = env.str("VONAGE_API_KEY", default="")
VONAGE_API_SECRET = env.str("VONAGE_API_SECRET", default="")
# Delivery receipts at /messages/delivery/vonage/, signed (SHA-256 HMAC) with this secret. Unset: 404.
VONAGE_SIGNATURE_SECRET = env.str("VONAGE_SIGNATURE_SECRET", default="")
SMS_SENDER = env.str("SMS_SENDER", default="Rantau")
# E-mail (the "smtp" provider and the daily reminders to staff): Django's e-mail settings.
EMAIL_BACKEND = env.str(
    "EMAIL_BACKEND",
    default="django.core.mail.backends.console.EmailBackend"
    if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
EMAIL_HOST = env.str("EMAIL_HOST", default="localhost")
EMAIL_PORT = env.int("EMAIL_PORT", default=25)
EMAIL_HOST_USER = env.str("EMAIL_HOST_USER", default="")
EMAIL_HOST_PASSWORD = env.str("EMAIL_HOST_PASSWORD", default="")
EMAIL_USE_TLS = env.bool("EMAIL_USE_TLS", default=False)
EMAIL_TIMEOUT = env.int("EMAIL_TIMEOUT", default=20)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="rantau@localhost")
