"""Issue #12, production: `check --deploy` clean with a real key, a short secret refused, CSP and HSTS, the
four password validators, API docs from packaged files, no browsable API, expiring and revocable tokens,
login throttling, and uploads served as typed downloads."""

import os
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.contrib.auth.password_validation import get_default_password_validators
from django.core.management import call_command
from django.test import Client
from django.utils import timezone
from rest_framework.authtoken.models import Token

from casework.models import Material
from casework.services.registry import user_create

from .conftest import client_for
from .web_world import PDF
from .world import build_world

ROOT = Path(__file__).resolve().parent.parent


def production_env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_", "CACHE_"))}
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings.production",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(64),
        DJANGO_ALLOWED_HOSTS="casework.example.gov.cn",
        DATABASE_URL="postgres://casework@127.0.0.1:5432/casework",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
        CACHE_URL="redis://127.0.0.1:6379/1",
    )
    env.update(overrides)
    return env


def manage(*args, **overrides) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=production_env(**overrides),
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_check_deploy_with_production_settings_and_a_real_key_prints_no_warning():
    result = manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.parametrize("key", ["short-secret", "a" * 80, "django-insecure-" + secrets.token_urlsafe(50)])
def test_production_refuses_a_short_or_weak_secret(key):
    result = manage("check", DJANGO_SECRET_KEY=key)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be at least 50 random characters" in result.stderr


def test_the_four_default_password_validators_are_on():
    names = {type(v).__name__ for v in get_default_password_validators()}
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= names


@pytest.mark.django_db
def test_every_page_carries_a_content_security_policy(client):
    response = client.get("/accounts/login/")
    policy = response["Content-Security-Policy"]
    assert "default-src 'self'" in policy and "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response["X-Content-Type-Options"] == "nosniff"


def test_production_sends_hsts_and_redirects_to_https():
    result = manage(
        "shell",
        "-c",
        "from django.conf import settings as s; print(s.SECURE_HSTS_SECONDS, s.SECURE_SSL_REDIRECT, "
        "s.REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES'])",
    )
    assert result.returncode == 0, result.stderr
    seconds, redirect, renderers = result.stdout.strip().splitlines()[-1].split(" ", 2)
    assert int(seconds) >= 365 * 24 * 3600 and redirect == "True"
    assert "BrowsableAPIRenderer" not in renderers  # the browsable API is off in production


@pytest.mark.django_db
def test_api_docs_are_served_from_packaged_files_with_no_cdn(client):
    page = client.get("/api/docs/").content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page.replace(" ", "")  # no inline script: the CSP forbids it
    script = client.get("/api/docs/?script=")
    assert script.status_code == 200 and "SwaggerUIBundle" in script.content.decode()
    bundled = Path(__import__("drf_spectacular_sidecar").__file__).parent
    assert (bundled / "static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js").exists()


@pytest.mark.django_db
def test_api_tokens_expire(settings, admin_api):
    """Kind: credentials that never end. A token older than API_TOKEN_LIFETIME_DAYS is a 401."""
    settings.API_TOKEN_LIFETIME_DAYS = 90
    _user, token = user_create(username="clerk", password="a-long-password-1", role="admin")
    client = client_for(token)
    assert client.get("/api/v1/departments/").status_code == 200
    Token.objects.filter(key=token).update(created=timezone.now() - timedelta(days=91))
    expired = client.get("/api/v1/departments/")
    assert expired.status_code == 401 and "expired" in expired.json()["detail"]


@pytest.mark.django_db
def test_api_tokens_can_be_revoked_and_reissued(capsys):
    user, token = user_create(username="clerk", password="a-long-password-1", role="admin")
    client = client_for(token)
    assert client.delete("/api/v1/auth/token/").status_code == 204
    assert client.get("/api/v1/departments/").status_code == 401
    call_command("issue_token", "clerk")
    new = capsys.readouterr().out.strip().splitlines()[-1]  # alone on the last line, like add_user's
    assert new != token and client_for(new).get("/api/v1/departments/").status_code == 200
    call_command("revoke_token", "clerk")
    assert client_for(new).get("/api/v1/departments/").status_code == 401
    assert not Token.objects.filter(user=user).exists()


@pytest.mark.django_db
def test_repeated_failed_sign_ins_lock_the_username_out_on_web_and_admin(settings):
    """Kind: unlimited password guessing (django-axes)."""
    user_create(username="clerk", password="a-long-password-1", role="admin")
    for url in ("/accounts/login/", "/admin/login/"):
        from axes.utils import reset

        reset()
        client = Client(HTTP_ACCEPT_LANGUAGE="en")
        statuses = [
            client.post(url, {"username": "clerk", "password": "wrong-password"}).status_code
            for _ in range(settings.AXES_FAILURE_LIMIT)
        ]
        assert statuses == [200] * (settings.AXES_FAILURE_LIMIT - 1) + [429], url
        locked = client.post(url, {"username": "clerk", "password": "a-long-password-1"})
        assert locked.status_code == 429, url  # even the right password, until the cool-off ends
        assert "Sign-in locked" in locked.content.decode()
    reset()
    assert (
        Client().post("/accounts/login/", {"username": "clerk", "password": "a-long-password-1"}).status_code
        == 302
    )


@pytest.mark.django_db
def test_an_upload_is_stored_and_downloaded_under_its_sniffed_type(admin_api):
    """Kind: trusting the uploader's file name. A PDF named .html is stored as .pdf and downloaded as an
    attachment named .pdf, with nosniff."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    world = build_world(admin_api)
    response = world["subject"].post(
        "/api/v1/cases/",
        {
            "kind": "objection",
            "subject": world.subject["id"],
            "records": [world.record["id"]],
            "statement": "记录有误",
            "commitment_signed": True,
            "materials": [SimpleUploadedFile("证明.html", PDF, content_type="text/html")],
        },
        format="multipart",
    )
    assert response.status_code == 201, response.content
    material = Material.objects.get()
    assert material.file.name.endswith(".pdf") and material.content_type == "application/pdf"
    web = Client()
    web.force_login(material.case.subject.representatives.first())
    download = web.get(f"/cases/{material.case.number}/materials/{material.public_id}/")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["X-Content-Type-Options"] == "nosniff"
    disposition = download["Content-Disposition"]
    assert disposition.startswith("attachment") and ".pdf" in disposition and ".html" not in disposition
