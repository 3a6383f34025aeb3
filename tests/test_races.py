"""Issue #2: races lose cleanly — two clerks acting at once on one task: one wins, the other gets 409,
and history records the completion once (DESIGN invariant 6). Real threads, real connections."""

import threading

import pytest
from django.db import connection

from casework.models import CaseTask, HistoryEvent
from casework.services.registry import user_create

from .conftest import client_for
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db(transaction=True)


def race(*calls):
    """Run the calls at the same instant on their own threads (and database connections)."""
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)

    def run(i, call):
        try:
            barrier.wait(timeout=10)
            results[i] = call()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def second_reviewer(code: str):
    from casework.models import Department

    _, token = user_create(
        username=f"{code}-2",
        password="a-long-password-1",
        role="reviewer",
        departments=[Department.objects.get(code=code)],
    )
    return client_for(token)


def test_two_clerks_completing_the_same_task_at_once(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    [task] = queue(world["credit"])
    other = second_reviewer("xy-credit")
    url = f"/api/v1/tasks/{task['id']}/complete/"

    responses = race(
        lambda: world["credit"].post(url, {"decision": "accept"}, format="json"),
        lambda: other.post(url, {"decision": "accept"}, format="json"),
    )

    assert sorted(r.status_code for r in responses) == [200, 409]
    stream = f"casetask:{task['id']}"
    assert HistoryEvent.objects.filter(stream=stream, action="completed").count() == 1
    assert HistoryEvent.objects.filter(action="suspend").count() == 2  # each sanction suspended once
    assert CaseTask.objects.filter(step="self_check").count() == 1


def test_two_clerks_claiming_the_same_task_at_once(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    [task] = queue(world["credit"])
    other = second_reviewer("xy-credit")
    url = f"/api/v1/tasks/{task['id']}/claim/"

    responses = race(lambda: world["credit"].post(url), lambda: other.post(url))

    assert sorted(r.status_code for r in responses) == [200, 409]
    assert HistoryEvent.objects.filter(stream=f"casetask:{task['id']}", action="claimed").count() == 1
