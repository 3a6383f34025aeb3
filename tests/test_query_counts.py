"""Lists cost a fixed number of queries, whatever their length (no N+1)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db


def add_record_and_file(world, n: int) -> None:
    record = created(
        world.admin.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": "admin_penalty",
                "severity": "general",
                "provider": "xy-market",
                "decided_on": "2026-05-06",
                "summary": f"处罚 {n}",
            },
            format="json",
        )
    )
    world.record = record
    assert file_objection(world).status_code == 201


def queries_for(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_case_and_task_lists_do_not_grow_with_their_length(admin_api):
    world = build_world(admin_api)
    add_record_and_file(world, 1)
    few_cases, few_tasks = (
        queries_for(world["subject"], "/api/v1/cases/"),
        queries_for(world["credit"], "/api/v1/tasks/"),
    )
    for n in range(2, 6):
        add_record_and_file(world, n)
    assert queries_for(world["subject"], "/api/v1/cases/") == few_cases
    assert queries_for(world["credit"], "/api/v1/tasks/") == few_tasks
