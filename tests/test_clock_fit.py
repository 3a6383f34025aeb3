"""docs/domain.md §9.9: a case whose every step finishes on its due date is on time on every clock
(each step's, the legal limit and the service norm). The publicity period (公示) does not count."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from casework.calendar import add_working_days
from casework.models import Case, User
from casework.services.list_exit import list_exit_publicity_sweep
from casework.statistics import on_time_by_department_month

from .test_list_exit_api import file_exit, listed_world
from .test_repair_api import file_repair
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


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
    # The on-time figures (casework/statistics.py, the dashboards) count every step of the case on time.
    admin = User.objects.get(username="admin")
    closed = timezone.localdate(case.closed_at)
    for row in on_time_by_department_month(admin, today=closed):
        assert row["on_time"] == row["done"], row
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


def ask_and_answer(world, number: str, *, asked: date, answered: date) -> None:
    """补正 on `asked`, answered on `answered` (within its 10-working-day deadline): every clock of the case
    stops in between (docs/domain.md §9.9) and resumes with the working days it had left."""
    [task] = [t for t in queue(world["credit"]) if t["step"] == "accept"]
    with at(asked, hour=10):
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/",
            {"decision": "request_materials", "note": "请补充缴款凭证原件扫描件。"},
            format="json",
        )
        assert response.status_code == 200, response.content
    assert Case.objects.get(number=number).materials_due_on >= answered
    with at(answered, hour=10):
        response = world["subject"].post(
            f"/api/v1/cases/{number}/supplement/",
            {"materials": [SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf")]},
            format="multipart",
        )
        assert response.status_code == 200, response.content


@pytest.mark.parametrize("supplement", [False, True], ids=["straight", "with 补正"])
def test_legal_clock_a_national_repair_is_on_time(admin_api, supplement):
    """national-2026: acceptance 3 + the market regulator's verification 7 = the 10 days of 国办发〔2025〕22号."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        response = file_repair(world)
        assert response.status_code == 201, response.content
    number = response.json()["number"]
    if supplement:  # asked on day 2, answered 6 working days later
        ask_and_answer(
            world, number, asked=date(2026, 11, 24), answered=add_working_days(date(2026, 11, 24), 6)
        )
    finish_on_due_date(world["credit"], "accept", "accept")
    last = finish_on_due_date(world["market"], "verify", "approve")
    assert last == add_working_days(date(2026, 11, 23), 10 + (6 if supplement else 0))
    assert Case.objects.get(number=number).outcome == "repaired"
    assert_on_time_on_every_clock(number)


def test_legal_clock_a_local_plan_repair_with_a_supplement_is_on_time(admin_api, settings):
    """local-plan: 19 working days of steps, and the 补正 time is not counted (docs/domain.md §9.9)."""
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        response = file_repair(world)
    number = response.json()["number"]
    ask_and_answer(world, number, asked=date(2026, 11, 25), answered=date(2026, 12, 4))
    finish_on_due_date(world["credit"], "accept", "accept")
    finish_on_due_date(world["market"], "verify", "approve")
    finish_on_due_date(world["credit"], "report_district", "approve")
    finish_on_due_date(world["city"], "report_city", "approve")
    finish_on_due_date(world["province"], "report_province", "approve")
    assert Case.objects.get(number=number).outcome == "repaired"
    assert_on_time_on_every_clock(number)


def test_legal_clock_a_list_exit_with_a_supplement_and_a_publicity_is_on_time(admin_api):
    """Both holds in one case: the 补正 time and the 5 publicity days stop the legal and service clocks."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        response = file_exit(world)
    number = response.json()["number"]
    ask_and_answer(world, number, asked=date(2026, 11, 23), answered=date(2026, 11, 30))
    finish_on_due_date(world["credit"], "accept", "accept")
    verified = finish_on_due_date(world["market"], "verify", "approve")
    publicity_end = add_working_days(verified, 5)
    with at(add_working_days(publicity_end, 1), hour=1):
        assert list_exit_publicity_sweep() == 1
    finish_on_due_date(world["market"], "decide", "remove")
    case = Case.objects.get(number=number)
    assert case.outcome == "removed"
    reasons = set(case.deadlines.filter(purpose="legal").values_list("suspensions__reason", flat=True))
    assert reasons == {"supplement", "publicity"}
    assert_on_time_on_every_clock(number)
