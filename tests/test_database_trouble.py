"""Issue #12: database trouble is a 503 with Retry-After (JSON for the API, a page for the web), never a
500 and never a server thread tied up: PostgreSQL connections carry lock and statement timeouts, and
connections are health-checked before use. Real locks on the real database (PostgreSQL in CI)."""

import pytest
from django.conf import settings
from django.db import OperationalError, connection, connections
from django.test import RequestFactory

from config.edges import EdgeMiddleware, is_transient_database_error
from config.settings.base import database_from_env

from .conftest import credit_code


def test_postgresql_connections_carry_lock_and_statement_timeouts_and_health_checks():
    db = database_from_env("postgres://casework@db.example/casework")
    options = db["OPTIONS"]["options"]
    assert f"-c lock_timeout={settings.DATABASE_LOCK_TIMEOUT_MS}" in options
    assert f"-c statement_timeout={settings.DATABASE_STATEMENT_TIMEOUT_MS}" in options
    assert 0 < settings.DATABASE_LOCK_TIMEOUT_MS <= 10_000
    assert db["CONN_HEALTH_CHECKS"] is True
    assert settings.DATABASES["default"]["CONN_HEALTH_CHECKS"] is True


@pytest.fixture
def held_lock(transactional_db):
    """Another connection holds the lock a write needs; this connection gives up after ~0.2 s."""
    other = connections.create_connection("default")
    other.ensure_connection()
    if connection.vendor == "postgresql":
        with other.cursor() as cursor:
            cursor.execute("BEGIN")
            cursor.execute("LOCK TABLE casework_subject IN ACCESS EXCLUSIVE MODE")
        with connection.cursor() as cursor:
            cursor.execute("SET lock_timeout = '200ms'")
    else:
        other.connection.execute("BEGIN IMMEDIATE")  # SQLite: one writer at a time
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 200")
    yield
    other.connection.rollback()
    other.close()
    connection.close()  # drop the session-level timeout


def test_a_held_lock_is_a_json_503_with_retry_after_on_the_api(admin_api, credit_office, held_lock):
    response = admin_api.post(
        "/api/v1/subjects/", {"kind": "enterprise", "code": credit_code(), "name": "锁"}, format="json"
    )
    assert response.status_code == 503, response.content
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["code"] == "unavailable"
    assert int(response["Retry-After"]) == settings.CASEWORK_RETRY_AFTER_SECONDS


def test_a_lock_timeout_on_a_web_page_is_a_branded_503_page(transactional_db, held_lock):
    from casework.models import Subject

    try:
        Subject.objects.create(kind="enterprise", code=credit_code(), name="锁", division="350102")
    except OperationalError as exc:
        error = exc
    else:
        raise AssertionError("the held lock did not stop the write")
    assert is_transient_database_error(error)
    request = RequestFactory().get("/supervision/", HTTP_ACCEPT_LANGUAGE="en")
    response = EdgeMiddleware(lambda r: None).process_exception(request, error)
    assert response.status_code == 503
    assert response["Retry-After"] == str(settings.CASEWORK_RETRY_AFTER_SECONDS)
    page = response.content.decode()
    assert "<html" in page and "try again" in page.lower()


def test_other_errors_stay_errors():
    """Only trouble that passes is a 503; a programming error must still be seen as one."""
    assert not is_transient_database_error(OperationalError("no such table: casework_nothing"))
    assert not is_transient_database_error(ValueError("database is locked"))
