"""Supervision reads go to a read replica when one is configured; writes and services never do (issue 13).

The replica here is Django's test mirror of the default database: a second, real connection to the same
database, so what the router sends there is observable per connection while the rows are the same.
"""

import pytest
import time_machine
from django.db import connections, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import Case
from casework.replica import REPLICA, SupervisionReadRouter, supervision_read

from .web_world import add_supervisor, objection_at_verification, user

# Committed rows (transaction=True): the replica is a second connection and sees only what is committed.
pytestmark = pytest.mark.django_db(transaction=True, databases=["default", REPLICA])

MONDAY = "2026-11-23 10:00 +0800"
LATE = "2026-12-08 10:00 +0800"  # the verification (5 working days from Tuesday 24th) is late by then


@pytest.fixture
def replica(settings):
    """The supervision pages read from the `replica` alias (the test settings' mirror of the database)."""
    settings.CASEWORK_SUPERVISION_READS_FROM = REPLICA
    return connections[REPLICA]


@pytest.fixture
def late_verification(replica, admin_api):
    with time_machine.travel(MONDAY, tick=False):
        objection_at_verification(admin_api)
    add_supervisor()
    return Case.objects.get().tasks.get(step="verify")


def head_client() -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user("head"))
    return client


def casework_queries(captured) -> list[str]:
    return [
        q["sql"] for q in captured.captured_queries if '"casework_' in q["sql"] or '"viewflow_' in q["sql"]
    ]


@pytest.mark.parametrize("url", ["/supervision/", "/supervision/cases/", "/api/v1/supervision/overdue/"])
def test_the_supervision_pages_read_from_the_replica(late_verification, replica, url):
    client = head_client()
    primary, copy = CaptureQueriesContext(connections["default"]), CaptureQueriesContext(replica)
    with time_machine.travel(LATE, tick=False), primary, copy:
        response = client.get(url)
    assert response.status_code == 200
    assert late_verification.case.number in response.content.decode()  # the replica's rows are the primary's
    assert casework_queries(copy), "the page read nothing from the replica"
    # The primary only answers who is signed in (session and user, checked before the page reads).
    assert all('"casework_user"' in sql for sql in casework_queries(primary)), casework_queries(primary)


def test_acting_from_a_supervision_page_stays_on_the_primary(late_verification, replica):
    client = head_client()
    url = f"/supervision/tasks/{late_verification.public_id}/extend/"
    with time_machine.travel(LATE, tick=False), CaptureQueriesContext(replica) as copy:
        done = client.post(url, {"days": "3", "reason": "涉及多个批次, 需调取档案"})
    assert done.status_code == 302
    assert copy.captured_queries == []
    late_verification.deadline.refresh_from_db()
    assert late_verification.deadline.extended_days == 3


def test_reads_inside_a_transaction_on_the_primary_stay_there(late_verification, replica):
    @supervision_read
    def view(request):
        with transaction.atomic():
            return list(Case.objects.all())

    class Get:
        method = "GET"

    with CaptureQueriesContext(replica) as copy, CaptureQueriesContext(connections["default"]) as primary:
        assert len(view(Get())) == 1
    assert copy.captured_queries == [] and casework_queries(primary)


def test_without_a_replica_nothing_is_routed():

    @supervision_read
    def view(request):
        return SupervisionReadRouter().db_for_read(Case)

    class Get:
        method = "GET"

    assert view(Get()) is None


def test_only_casework_tables_are_routed(replica):
    from django.contrib.sessions.models import Session

    @supervision_read
    def view(request):
        router = SupervisionReadRouter()
        return router.db_for_read(Case), router.db_for_read(Session), router.db_for_write(Case)

    class Get:
        method = "GET"

    class Post:
        method = "POST"

    assert view(Get()) == (REPLICA, None, None)
    assert view(Post()) == (None, None, None)
