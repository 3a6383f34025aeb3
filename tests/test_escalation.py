"""Issue #4: the escalation ladder — each level once, on its working day, re-armed only where not yet passed."""

from datetime import date

import pytest
import time_machine

from casework.calendar import add_working_days
from casework.models import CaseTask, EscalationEvent, HistoryEvent
from casework.services.escalation import escalation_sweep
from notifications.models import Outbox

from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = date(2026, 11, 23)


def at(day: date, hour: int = 9):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def sweep(day: date) -> int:
    with at(day, 8):
        return escalation_sweep()


def levels(task_id) -> list[tuple[str, bool]]:
    return list(
        EscalationEvent.objects.filter(deadline__task__public_id=task_id)
        .order_by("id")
        .values_list("level", "skipped")
    )


@pytest.fixture
def verifying(admin_api):
    """An objection accepted on Monday 23 November: verification due in 5 working days (30 November)."""
    with at(MONDAY):
        world = build_world(admin_api)
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
        [verify] = queue(world["market"])
    assert verify["due_on"] == "2026-11-30"
    return world, verify


def test_each_level_fires_once_on_its_working_day(verifying):
    world, verify = verifying
    ladder = {
        "remind": add_working_days(MONDAY, 3),  # 60 % of 5 working days: Thursday 26th
        "remind_before_due": add_working_days(MONDAY, 4),  # Friday 27th
        "overdue": add_working_days(date(2026, 11, 30), 1),  # 催办: Tuesday 1 December
        "supervise": add_working_days(date(2026, 11, 30), 5),  # 督办: Monday 7 December
    }
    day, fired = MONDAY, []
    while day <= date(2026, 12, 10):
        sweep(day)
        sweep(day)  # a second sweep the same day changes nothing
        fired = levels(verify["id"])
        expected = [(level, False) for level, due in ladder.items() if due <= day]
        assert fired == expected, day
        day = date.fromordinal(day.toordinal() + 1)
    assert [level for level, _ in fired] == list(ladder)

    history = HistoryEvent.objects.filter(stream=f"casetask:{verify['id']}", action__startswith="escalated:")
    assert [e.action for e in history] == [f"escalated:{level}" for level in ladder]
    reminders = Outbox.objects.filter(event="task_remind").values_list("recipient__username", flat=True)
    assert list(reminders) == ["market"]  # nobody claimed it: the department's reviewers
    overdue = set(Outbox.objects.filter(event="task_overdue").values_list("recipient__username", flat=True))
    assert overdue == {"market"}


def test_a_late_sweep_fires_the_overdue_levels_and_skips_stale_reminders(verifying):
    world, verify = verifying
    assert sweep(date(2026, 12, 8)) == 2
    assert levels(verify["id"]) == [
        ("remind", True),
        ("remind_before_due", True),
        ("overdue", False),
        ("supervise", False),
    ]
    assert not Outbox.objects.filter(event__in=["task_remind", "task_remind_before_due"]).exists()


def test_an_extension_rearms_only_the_levels_not_yet_passed(verifying, admin_api):
    world, verify = verifying
    sweep(date(2026, 12, 1))  # remind, remind_before_due and overdue fired
    from casework.models import Department
    from casework.services.registry import user_create

    from .conftest import client_for

    _, token = user_create(
        username="head",
        password="a-long-password-1",
        role="supervisor",
        departments=[Department.objects.get(code="xy-credit")],
    )
    with at(date(2026, 12, 1)):
        response = client_for(token).post(
            f"/api/v1/tasks/{verify['id']}/extend/", {"days": 10, "reason": "需调取外地档案"}, format="json"
        )
    assert response.status_code == 200
    new_due = date.fromisoformat(response.json()["due_on"])
    assert new_due == add_working_days(MONDAY, 15)
    sweep(date(2026, 12, 7))  # would have been 督办 under the old due date
    assert [level for level, _ in levels(verify["id"])] == ["remind", "remind_before_due", "overdue"]
    sweep(add_working_days(new_due, 5))
    assert [level for level, _ in levels(verify["id"])] == [
        "remind",
        "remind_before_due",
        "overdue",
        "supervise",
    ]


def test_nothing_climbs_while_the_clock_is_stopped(admin_api):
    with at(MONDAY):
        world = build_world(admin_api)
        file_objection(world)
        [task] = queue(world["credit"])  # accept: 2 working days, due Wednesday 25th
        world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充撤销决定书"},
            format="json",
        )
    assert sweep(date(2026, 12, 31)) == 0
    assert levels(task["id"]) == []
    assert CaseTask.objects.get(public_id=task["id"]).deadline.next_escalation_on is None
