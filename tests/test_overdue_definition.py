"""Issue 11: one definition of "overdue", shared by the overdue board (web), its API and the monthly report.

A task whose clock is paused for 补正 (waiting for the subject's materials) is on time everywhere, whatever its
stored due date; the same task, once its clock runs again and passes the new due date, is overdue everywhere.
"""

from datetime import date

import pytest
import time_machine
from django.test import Client

from casework import statistics

from .web_world import add_supervisor, pdf
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10):
    return time_machine.travel(f"{day} {hour:02d}:00 +0800", tick=False)


def everywhere(head, day: str, month: date) -> dict:
    """Is the case's task overdue on the board page, in the board API and in the month's report?"""
    web = Client()
    with at(day):
        web.force_login(head)
        page = web.get("/supervision/")
        api = web.get("/api/v1/supervision/overdue/")
    assert page.status_code == 200 and api.status_code == 200
    [credit] = [r for r in statistics.monthly_report(head, month=month) if r["department"] == "鼓楼区信用办"]
    return {
        "board": "鼓楼区信用办" in page.content.decode() and "YY-" in page.content.decode(),
        "api": len(api.json()),
        "report": credit["open_overdue_at_month_end"],
    }


def test_a_task_paused_for_supplement_is_not_overdue_on_the_board_in_the_api_or_in_the_report(admin_api):
    with at("2026-11-16"):  # Monday: acceptance due in 2 working days, Wednesday 18 November
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        assert task["due_on"] == "2026-11-18"
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充撤销决定书"},
            format="json",
        )
        assert response.status_code == 200, response.content
        head = add_supervisor()
    # 27 November: the stored due date (18th) is long past, but the clock has stood still since the 16th.
    assert everywhere(head, "2026-11-27", date(2026, 11, 1)) == {"board": False, "api": 0, "report": 0}

    # The materials arrive on the last day of the 补正 deadline (10 working days, docs/domain.md §9.10): the
    # clock runs again with its 2 days left.
    with at("2026-11-30"):
        response = world["subject"].post(
            f"/api/v1/cases/{number}/supplement/", {"materials": [pdf()]}, format="multipart"
        )
        assert response.status_code == 200, response.content
    [resumed] = queue(world["credit"])
    assert resumed["due_on"] == "2026-12-02"
    # The control: the same task, left alone past its new due date, is overdue in all three.
    assert everywhere(head, "2026-12-31", date(2026, 12, 1)) == {"board": True, "api": 1, "report": 1}
