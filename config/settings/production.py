"""Production: everything from the environment, no default secret, no embedded database.

`DJANGO_SETTINGS_MODULE=config.settings.production manage.py check --deploy` prints no warning with these
settings and a real key (tests/test_production_settings.py keeps it so).
"""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import BROKER_TIMEOUT_OPTIONS, DATABASES, REST_FRAMEWORK, database_from_env, env

SECRET_KEY_MIN_LENGTH = 50  # what Django's check --deploy asks for (security.W009)
SECRET_KEY_MIN_UNIQUE = 5


def secret_key_from_env() -> str:
    """DJANGO_SECRET_KEY, refused when it is short, repetitive or Django's insecure placeholder."""
    key = env("DJANGO_SECRET_KEY")
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE
        or key.startswith("django-insecure")
        or key == "embedded-demo-only-not-a-secret"
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY must be at least {SECRET_KEY_MIN_LENGTH} random characters "
            '(python -c "import secrets; print(secrets.token_urlsafe(64))").'
        )
    return key


SECRET_KEY = secret_key_from_env()
DEBUG = False
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS")
DATABASES = {**DATABASES, "default": database_from_env(env("DATABASE_URL"))}  # keeps a configured replica
# Shared by every web process: signed-feedback nonces (replay refusal) and login throttling counters.
CACHES = {"default": env.cache_url("CACHE_URL")}
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_BROKER_TRANSPORT_OPTIONS = {"visibility_timeout": 3600, **BROKER_TIMEOUT_OPTIONS}
EMAIL_BACKEND = env("DJANGO_EMAIL_BACKEND", default="django.core.mail.backends.smtp.EmailBackend")

# HTTPS only, behind a proxy that sets X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# The browsable API is a development aid: production answers JSON only.
REST_FRAMEWORK = {**REST_FRAMEWORK, "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"]}
