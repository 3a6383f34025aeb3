"""Issue #4: a case's legal time limit and service norm; pauses across holidays; reassignment; the overdue board."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.calendar import add_working_days, working_days_between
from casework.models import Case, Department, HistoryEvent
from casework.services.escalation import escalation_sweep
from casework.services.registry import user_create
from notifications.models import Outbox

from .conftest import client_for
from .test_races import second_reviewer
from .web_world import second_market_regulator
from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def at(day: str, hour: int = 9):
    return time_machine.travel(f"{day} {hour:02d}:00 +0800", tick=False)


def clocks(client, number) -> dict:
    return {d["purpose"]: d for d in client.get(f"/api/v1/cases/{number}/").json()["deadlines"]}


def supervisor_of(code: str, username: str):
    _, token = user_create(
        username=username,
        password="a-long-password-1",
        role="supervisor",
        departments=[Department.objects.get(code=code)],
    )
    return client_for(token)


def test_a_supplement_pause_of_four_working_days_across_a_holiday_moves_every_clock_by_four(admin_api):
    with at("2026-09-28"):  # Monday
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        before = {
            "task": date.fromisoformat(task["due_on"]),
            **{k: date.fromisoformat(v["due_on"]) for k, v in clocks(world["subject"], number).items()},
        }
    assert before["legal"] == add_working_days(date(2026, 9, 28), 10)
    assert before["service"] == add_working_days(date(2026, 9, 28), 9)  # objection service norm: 2 + 2 + 5

    with at("2026-09-29"):  # Tuesday: 补正; the clocks stop
        world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "补充材料"},
            format="json",
        )
    assert all(c["paused"] for c in clocks(world["subject"], number).values())
    # Stopped on 29 September, resumed on the make-up Saturday 10 October: 30 Sep, 8, 9 and 10 Oct are working
    # days (1–7 October are the National Day holiday) — exactly 4.
    assert working_days_between(date(2026, 9, 29), date(2026, 10, 10)) == 4
    with at("2026-10-10"):
        response = world["subject"].post(
            f"/api/v1/cases/{number}/supplement/",
            {"materials": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]},
            format="multipart",
        )
        assert response.status_code == 200, response.content
    [resumed] = queue(world["credit"])
    after = {
        "task": date.fromisoformat(resumed["due_on"]),
        **{k: date.fromisoformat(v["due_on"]) for k, v in clocks(world["subject"], number).items()},
    }
    for clock, due in before.items():
        assert after[clock] == add_working_days(due, 4), clock
        assert working_days_between(due, after[clock]) == 4


def test_the_case_clocks_stop_when_the_case_is_decided(admin_api):
    with at("2026-11-23"):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "refuse", "note": "不属于受理范围"},
            format="json",
        )
    case_clocks = clocks(world["subject"], number)
    assert {c["met"] for c in case_clocks.values()} == {True}
    assert Case.objects.get(number=number).deadlines.filter(met_at__isnull=True).count() == 0


def test_the_credit_office_reassigns_a_supervised_provider_step_within_its_department(admin_api):
    with at("2026-11-23"):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
        [verify] = queue(world["market"])
        office = supervisor_of("xy-credit", "office-head")
        market_head = supervisor_of("xy-market", "market-head")
        east = client_for(second_market_regulator())
    with at("2026-12-07", 8):
        assert escalation_sweep() == 2  # overdue (催办) and, 5 working days late, supervised (督办)
        board = office.get("/api/v1/supervision/overdue/").json()
    [late] = board
    assert late["case"] == number and late["escalation"] == "supervise" and late["overdue_working_days"] == 5
    assert set(
        Outbox.objects.filter(event="task_supervise").values_list("recipient__username", flat=True)
    ) >= {
        "market",
        "market-head",
        "office-head",
    }

    url = f"/api/v1/tasks/{verify['id']}/reassign/"
    with at("2026-12-07"):
        colleague = second_reviewer("xy-market")  # noqa: F841 (a second reviewer of the market regulator)
        refused = market_head.post(url, {"department": "xy-market-east", "reason": "转办"}, format="json")
        assert refused.status_code == 403  # only the credit office moves work across departments
        missing = office.post(url, {"assignee": "xy-market-2"}, format="json")
        assert missing.status_code == 400 and "reason" in missing.json()
        wrong = office.post(url, {"assignee": "market-east", "reason": "转办"}, format="json")
        assert wrong.status_code == 400 and "assignee" in wrong.json()
        # Issue 12: a verification by a market regulator cannot go to the tax bureau; docs/domain.md §9.8: nor
        # to another market regulator — the department that made the finding decides (谁认定谁修复).
        for other in ("xy-tax", "xy-market-east"):
            refused = office.post(url, {"department": other, "reason": "转办"}, format="json")
            assert refused.status_code == 400 and "department" in refused.json()
        moved = office.post(
            url, {"assignee": "xy-market-2", "reason": "经办人休假, 指定他人核实"}, format="json"
        )
    assert moved.status_code == 200, moved.content
    assert moved.json()["department"] == "xy-market" and moved.json()["assignee"] == "xy-market-2"
    assert queue(east) == []  # nothing left the market regulator
    [event] = HistoryEvent.objects.filter(action="reassigned")
    assert event.data["before"]["department"] == event.data["after"]["department"] == "xy-market"
    assert Outbox.objects.filter(event="task_reassigned", recipient__username="xy-market-2").exists()


def test_a_reviewer_hands_a_task_to_a_colleague_only_within_the_department(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    [task] = queue(world["credit"])
    _, token = user_create(
        username="credit-2",
        password="a-long-password-1",
        role="reviewer",
        departments=[Department.objects.get(code="xy-credit")],
    )
    url = f"/api/v1/tasks/{task['id']}/reassign/"
    assert (
        world["credit"].post(url, {"department": "xy-tax", "reason": "x"}, format="json").status_code == 403
    )
    response = world["credit"].post(url, {"assignee": "credit-2", "reason": "休假交接"}, format="json")
    assert response.status_code == 200 and response.json()["assignee"] == "credit-2"
    assert (
        client_for(token)
        .post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        .status_code
        == 200
    )
