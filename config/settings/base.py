"""Settings shared by every deployment, read from the environment.

The defaults are the embedded set-up of `make demo`: SQLite, a file-system Celery broker that needs no
server, and a development secret. `production.py` removes every default that is unsafe in production.
"""

from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent
VAR_DIR = BASE_DIR / "var"

env = environ.Env()

SECRET_KEY = env("DJANGO_SECRET_KEY", default="embedded-demo-only-not-a-secret")
DEBUG = env.bool("DJANGO_DEBUG", default=True)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
# True only in config/settings/demo.py: demo data may be loaded although DEBUG is off.
CASEWORK_DEMO = False

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # Swagger UI from packaged files: the docs page works offline
    "axes",  # login throttling and lockout
    "django_filters",
    "viewflow",
    "viewflow.workflow",
    "casework",
    "flows",
    "notifications",
    "web",
    "integration",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Hostile input is answered before anything reads it (NUL bytes → 400), the API answers JSON for every
    # error and database trouble (lock or statement timeout) is a 503 with Retry-After, never a 500.
    "config.edges.EdgeMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Last, as its documentation asks: it sees the login attempts the views above decided.
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
                "web.inbox.unread_count",
            ],
        },
    },
]


# PostgreSQL: how long one statement may wait for a row lock, and run at all (milliseconds). A web request
# gets 503 + Retry-After when either runs out; bulk imports run in the worker under the same limits.
DATABASE_LOCK_TIMEOUT_MS = 5_000
DATABASE_STATEMENT_TIMEOUT_MS = 30_000
# What a client is told to wait before trying again after a 503 (seconds).
CASEWORK_RETRY_AFTER_SECONDS = env.int("CASEWORK_RETRY_AFTER_SECONDS", default=5)


def database_from_env(default_url: str, name: str = "DATABASE_URL") -> dict:
    """One database from DATABASE_URL, with the SQLite options that make concurrent writers safe.

    Without WAL and IMMEDIATE transactions, two writers fail with "database is locked" instead of
    waiting, and the embedded default is five times slower (measured, see DESIGN).
    """
    db = env.db_url(name, default=default_url)
    if db["ENGINE"] == "django.db.backends.sqlite3":
        db.setdefault("OPTIONS", {}).update(
            {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            }
        )
    else:
        db.setdefault("CONN_MAX_AGE", env.int("DATABASE_CONN_MAX_AGE", default=60))
        # A held row lock or a runaway query must not tie up a server thread: the statement fails after
        # these many milliseconds and the request is answered 503 with Retry-After (config/edges.py).
        timeouts = "-c lock_timeout={} -c statement_timeout={}".format(
            env.int("DATABASE_LOCK_TIMEOUT_MS", default=DATABASE_LOCK_TIMEOUT_MS),
            env.int("DATABASE_STATEMENT_TIMEOUT_MS", default=DATABASE_STATEMENT_TIMEOUT_MS),
        )
        options = db.setdefault("OPTIONS", {})
        options["options"] = f"{options.get('options', '')} {timeouts}".strip()
    # A connection the database dropped is replaced before the request uses it, not after it failed.
    db["CONN_HEALTH_CHECKS"] = True
    return db


DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# A streaming replica for the supervision pages' reads (casework/replica.py); every write and every service's
# reads stay on `default`. Unset: everything reads from `default`.
if env("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **database_from_env("", name="DATABASE_REPLICA_URL"),
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["casework.replica.SupervisionReadRouter"]
# Where the supervision pages read: the replica when there is one.
CASEWORK_SUPERVISION_READS_FROM = "replica" if "replica" in DATABASES else "default"
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "casework.User"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

AUTHENTICATION_BACKENDS = [
    # First, so that a locked-out username or address is refused before its password is even checked.
    "config.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
# Login throttling (web sign-in and admin): 5 failures for one username from one address lock that pair
# out for 30 minutes; a success resets the count. The API uses tokens, not passwords.
AXES_FAILURE_LIMIT = env.int("AXES_FAILURE_LIMIT", default=5)
AXES_COOLOFF_TIME = env.float("AXES_COOLOFF_HOURS", default=0.5)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_IPWARE_PROXY_COUNT = env.int("AXES_PROXY_COUNT", default=0)

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
MEDIA_URL = "media/"
MEDIA_ROOT = env.path("DJANGO_MEDIA_ROOT", default=VAR_DIR / "media")
# Letter fonts cut to the letters' repertoire (`manage.py build_letter_fonts`, run by make; built on first use).
LETTER_FONT_DIR = env.path("LETTER_FONT_DIR", default=VAR_DIR / "fonts")

# Uploaded materials: what a subject may send, sniffed from the content, never trusted from the name.
CASEWORK_UPLOAD_MAX_BYTES = env.int("CASEWORK_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)
CASEWORK_UPLOAD_TYPES = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}
# A file attached to a form that was refused is kept this long for the next try (casework/pending_uploads.py)
# [product default: a working day and a night].
CASEWORK_PENDING_UPLOAD_HOURS = env.int("CASEWORK_PENDING_UPLOAD_HOURS", default=24)
# Request bodies other than files (JSON, form fields) are refused above this size with a 400; files are
# counted separately (CASEWORK_UPLOAD_MAX_BYTES each) and spill to a temporary file above 2 MiB.
DATA_UPLOAD_MAX_MEMORY_SIZE = env.int("DATA_UPLOAD_MAX_MEMORY_SIZE", default=2 * 1024 * 1024)
DATA_UPLOAD_MAX_NUMBER_FIELDS = 1000
DATA_UPLOAD_MAX_NUMBER_FILES = 20
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
# Longest free text accepted (a statement, a note, a summary), in characters; longer is a field error.
CASEWORK_TEXT_MAX_CHARS = 10_000
# JSON request bodies nested deeper than this are refused (400) before they are parsed.
CASEWORK_JSON_MAX_DEPTH = 32

# The rule-set profile new cases are filed under (one per deployment); running cases keep theirs.
CASEWORK_RULE_PROFILE = env("CASEWORK_RULE_PROFILE", default="national-2026")

CACHES = {"default": env.cache_url("CACHE_URL", default="locmemcache://")}

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "casework.api.authentication.ExpiringTokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "casework.api.errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "rest_framework.pagination.LimitOffsetPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    # A bounded parser: JSON nested too deep or carrying NUL characters is a 400, never a RecursionError.
    "DEFAULT_PARSER_CLASSES": [
        "casework.api.parsers.BoundedJSONParser",
        "casework.api.parsers.BoundedFormParser",
        "casework.api.parsers.BoundedMultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

# API tokens expire this many calendar days after they were issued (casework/api/tokens.py).
API_TOKEN_LIFETIME_DAYS = env.int("API_TOKEN_LIFETIME_DAYS", default=90)

SPECTACULAR_SETTINGS = {
    "TITLE": "Credit casework API",
    "DESCRIPTION": "Credit repair, objection, list-exit and bankruptcy-repair casework (信用修复与异议处理).",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "COMPONENT_SPLIT_REQUEST": True,
    # Served from drf-spectacular-sidecar's packaged files, never from a CDN (the page works offline).
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "casework.api.schema_hooks.add_common_error_responses",
    ],
}

# Content Security Policy (django-csp): same-origin scripts, styles and images only; no inline script.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# Celery. The embedded broker is a directory: no server to run, and a real worker and beat still work.
# The host part names nothing for this transport, but kombu warns "No hostname was supplied" on every
# connection when it is missing, so the embedded form always carries one.
FILESYSTEM_BROKER_URL = "filesystem://localhost/"
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=FILESYSTEM_BROKER_URL)
_broker_dir = Path(env("CELERY_BROKER_FOLDER", default=str(VAR_DIR / "broker")))
CELERY_BROKER_TRANSPORT_OPTIONS = (
    {
        "data_folder_in": str(_broker_dir / "queue"),
        "data_folder_out": str(_broker_dir / "queue"),
        "processed_folder": str(_broker_dir / "processed"),
        "control_folder": str(_broker_dir / "control"),
        "store_processed": False,
    }
    if CELERY_BROKER_URL.startswith("filesystem")
    else None  # set below: the broker timeouts
)
if CELERY_BROKER_URL.startswith("filesystem"):
    # The file-system transport fails on missing folders, for publishers and workers alike.
    for _folder in ("queue", "processed", "control"):
        (_broker_dir / _folder).mkdir(parents=True, exist_ok=True)
# A broker that accepts connections and never answers must not hold a request: every socket operation
# gives up after these seconds, a publish is tried once, and after a failure the process stops publishing
# for CELERY_PUBLISH_PAUSE_SECONDS (config/celery.py). The beat sweeps pick up every row saved meanwhile.
CELERY_BROKER_SOCKET_TIMEOUT = env.float("CELERY_BROKER_SOCKET_TIMEOUT", default=1.0)
BROKER_TIMEOUT_OPTIONS = {
    "socket_timeout": CELERY_BROKER_SOCKET_TIMEOUT,
    "socket_connect_timeout": CELERY_BROKER_SOCKET_TIMEOUT,
    "max_retries": 0,
}
if CELERY_BROKER_TRANSPORT_OPTIONS is None:
    CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, **BROKER_TIMEOUT_OPTIONS}
CELERY_BROKER_CONNECTION_TIMEOUT = CELERY_BROKER_SOCKET_TIMEOUT
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True  # the worker waits for its broker; publishers never do
CELERY_TASK_PUBLISH_RETRY = False
CELERY_PUBLISH_PAUSE_SECONDS = env.int("CELERY_PUBLISH_PAUSE_SECONDS", default=30)
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BEAT_SCHEDULE = {
    "outbox-dispatch-due": {"task": "notifications.tasks.outbox_dispatch_due_task", "schedule": 60.0},
    "list-exit-publicity-sweep": {"task": "casework.tasks.list_exit_publicity_sweep_task", "schedule": 600.0},
    "list-exit-expire-due": {"task": "casework.tasks.list_exit_expire_due_task", "schedule": 3600.0},
    "escalation-sweep": {"task": "casework.tasks.escalation_sweep_task", "schedule": 60.0},
    "integration-sweep": {"task": "integration.tasks.integration_sweep_task", "schedule": 60.0},
    "flow-timers": {"task": "casework.tasks.fire_due_timers_task", "schedule": 60.0},
    "notices-render-pending": {"task": "casework.tasks.notices_render_pending_task", "schedule": 300.0},
    # Publication periods end on a Beijing date: one run early each morning takes down what ended that day.
    "publication-end-due": {
        "task": "casework.tasks.publication_end_due_task",
        "schedule": crontab(hour=0, minute=20),
    },
    # 补正 deadlines are Beijing dates: withdraw what passed its last day, then remind those due soon.
    "supplement-withdraw-due": {
        "task": "casework.tasks.supplement_withdraw_due_task",
        "schedule": crontab(hour=0, minute=30),
    },
    "supplement-remind-due": {
        "task": "casework.tasks.supplement_remind_due_task",
        "schedule": crontab(hour=8, minute=10),
    },
    # Monthly reporting: reminders before the 20th, escalation after it; each fires once whatever the runs.
    "monthly-reporting": {
        "task": "casework.tasks.monthly_reporting_sweep_task",
        "schedule": crontab(hour=8, minute=30),
    },
    # Anchor every history chain's head (issue 11): daily, after midnight, so the published roots (one message
    # to each supervisor per day) bound what could be deleted unseen to one day's events.
    "history-checkpoint": {
        "task": "casework.tasks.history_checkpoint_task",
        "schedule": crontab(hour=0, minute=5),
    },
    # A re-dating queued on commit whose message was lost (broker down, process killed) runs from here.
    "calendar-redate-pending": {"task": "casework.tasks.calendar_redate_pending_task", "schedule": 3600.0},
    # Files kept across a refused form that nobody came back for (casework/pending_uploads.py).
    "pending-uploads-sweep": {"task": "casework.tasks.pending_uploads_sweep_task", "schedule": 3600.0},
    "calendar-warnings": {
        "task": "casework.tasks.calendar_warnings_task",
        "schedule": crontab(hour=8, minute=0),  # once a working morning is enough; deduplicated per day
    },
}

# Push to department systems and the national platform (issue 6): how long one POST may take, and how long
# a send may stay unconfirmed before another worker assumes it died and sends it again (same delivery id).
INTEGRATION_PUSH_TIMEOUT_SECONDS = env.int("INTEGRATION_PUSH_TIMEOUT_SECONDS", default=10)
INTEGRATION_PUSH_LEASE_SECONDS = env.int("INTEGRATION_PUSH_LEASE_SECONDS", default=120)

NOTIFICATIONS_SMS_GATEWAY = env("NOTIFICATIONS_SMS_GATEWAY", default="notifications.sms.LoggingSmsGateway")
# How long an e-mail or SMS send may take before another worker may assume it died and send again.
NOTIFICATIONS_SEND_LEASE_SECONDS = env.int("NOTIFICATIONS_SEND_LEASE_SECONDS", default=300)

EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = env("DJANGO_DEFAULT_FROM_EMAIL", default="casework@localhost")

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
}
