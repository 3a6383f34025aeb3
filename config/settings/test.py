"""Test settings: the real database named by DATABASE_URL (PostgreSQL in CI), fast hashing, no e-mail."""

import os
import warnings

from .base import *  # noqa: F403
from .base import VAR_DIR, database_from_env, env

DATABASES = {"default": database_from_env(f"sqlite:///{VAR_DIR / 'test-default.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A file, not ":memory:": threads in the concurrency tests need their own connections to one database.
    # One file per test process, so that two runs side by side never share (and corrupt) a database.
    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# A replica alias mirroring the test database (a second connection to it), off unless a test turns it on
# (tests/test_replica_reads.py): routing every supervision page of every test there would need each test to
# commit its rows first.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}
CASEWORK_SUPERVISION_READS_FROM = "default"

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
MEDIA_ROOT = VAR_DIR / "test-media"

# Tests start their own worker where they need one; anything else that publishes must fail loudly,
# never sit in a queue unnoticed. The broker comes from the environment (Redis in CI).
CELERY_BROKER_URL = env("CELERY_BROKER_URL", default="memory://localhost/")  # a host: kombu warns without one
CELERY_BROKER_TRANSPORT_OPTIONS = {"max_retries": 0}
CELERY_BROKER_CONNECTION_RETRY = False
CELERY_BROKER_CONNECTION_MAX_RETRIES = 0
CELERY_TASK_PUBLISH_RETRY = False

# Tests travel months and years ahead of the day their tokens were issued; tests/test_production_settings.py sets
# the lifetime it checks.
API_TOKEN_LIFETIME_DAYS = 3650

warnings.filterwarnings("error", r"DateTimeField .* received a naive datetime", RuntimeWarning)
