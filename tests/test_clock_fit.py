"""docs/domain.md §9.9: a case whose every step finishes on its due date is on time on every clock
(each step's, the legal limit and the service norm). The publicity period (公示) does not count."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone

from casework.calendar import add_working_days
from casework.models import Case
from casework.services.list_exit import list_exit_publicity_sweep

from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import file_repair
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def at(day: date, hour: int = 16):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def finish_on_due_date(client, step: str, decision: str) -> date:
    [task] = [t for t in queue(client) if t["step"] == step]
    due = date.fromisoformat(task["due_on"])
    with at(due):
        response = client.post(
            f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": "按期办结"}, format="json"
        )
    assert response.status_code == 200, response.content
    return due


def assert_on_time_on_every_clock(number: str) -> None:
    case = Case.objects.get(number=number)
    assert case.state == "closed"
    deadlines = list(case.deadlines.all())
    assert {d.purpose for d in deadlines} >= {"legal", "service", "step"}
    late = [
        (d.purpose, d.due_on, timezone.localdate(d.met_at))
        for d in deadlines
        if d.met_at is None or timezone.localdate(d.met_at) > d.due_on
    ]
    assert late == []


def test_legal_clock_a_local_plan_repair_reported_up_three_levels_is_on_time(admin_api, settings):
    """local-plan: acceptance 3 + verification 7 + district, city and province 3 each = 19 working days."""
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        response = file_repair(world)
        assert response.status_code == 201, response.content
    number = response.json()["number"]
    finish_on_due_date(world["credit"], "accept", "accept")
    finish_on_due_date(world["market"], "verify", "approve")
    finish_on_due_date(world["credit"], "report_district", "approve")
    finish_on_due_date(world["city"], "report_city", "approve")
    last = finish_on_due_date(world["province"], "report_province", "approve")
    assert last == add_working_days(date(2026, 11, 23), 19)
    assert Case.objects.get(number=number).outcome == "repaired"
    assert_on_time_on_every_clock(number)


def test_legal_clock_a_list_exit_with_publicity_is_on_time(admin_api):
    """national-2026: acceptance 3 + verification 7 + decision 7; the 5 publicity days stop the clock."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        response = file_exit(world)
        assert response.status_code == 201, response.content
    number = response.json()["number"]
    finish_on_due_date(world["credit"], "accept", "accept")
    verified = finish_on_due_date(world["market"], "verify", "approve")
    publicity_end = add_working_days(verified, 5)
    assert Case.objects.get(number=number).publicity_until == publicity_end
    with at(add_working_days(publicity_end, 1), hour=1):  # the nightly sweep after the last publicity day
        assert list_exit_publicity_sweep() == 1
    finish_on_due_date(world["market"], "decide", "remove")
    assert Case.objects.get(number=number).outcome == "removed"
    assert_on_time_on_every_clock(number)


def test_legal_clock_a_list_exit_refused_during_its_publicity_hold_leaves_no_clock_paused(admin_api):
    """§9.9: publicity and an objection's hold stop the clock; the conclusion ends the pause and meets it."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        response = file_exit(world)
    number = response.json()["number"]
    finish_on_due_date(world["credit"], "accept", "accept")
    verified = finish_on_due_date(world["market"], "verify", "approve")
    with at(verified):
        objected = world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": "仍拖欠货款"}, format="json"
        )
        assert objected.status_code == 201, objected.content
    finish_on_due_date(world["market"], "objection_verify", "founded")
    case = Case.objects.get(number=number)
    assert (case.state, case.outcome) == ("closed", "rejected")
    paused = [d.purpose for d in case.deadlines.all() if d.suspended_since is not None]
    assert paused == []
    assert_on_time_on_every_clock(number)


@pytest.mark.parametrize("profile", ["national-2026", "local-plan"])
def test_legal_clock_an_objection_forwarded_and_verified_on_due_dates_is_on_time(
    admin_api, settings, profile
):
    """docs/domain.md §9.1: acceptance 2 + self-check and forwarding 2 + verification 5 = 9 working days, within
    the service norm (9) and the legal limit (10, 《上海市社会信用条例》第三十六条)."""
    settings.CASEWORK_RULE_PROFILE = profile
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        response = file_objection(world)
        assert response.status_code == 201, response.content
    number = response.json()["number"]
    finish_on_due_date(world["credit"], "accept", "accept")
    finish_on_due_date(world["credit"], "self_check", "forward")
    last = finish_on_due_date(world["market"], "verify", "upheld")
    assert last == add_working_days(date(2026, 11, 23), 9)
    assert_on_time_on_every_clock(number)
