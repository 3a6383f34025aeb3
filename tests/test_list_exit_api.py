"""Issue #3: leaving the serious-dishonesty list and the court list, through the REST API."""

from datetime import date

import pytest
import time_machine

from casework.calendar import add_working_days
from casework.models import CreditRecord
from casework.services.list_exit import list_exit_expire_due, list_exit_publicity_sweep
from notifications.models import Outbox

from .test_repair_api import decide, pdf, states
from .world import build_world, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def publicity_until() -> date:
    return add_working_days(date(2026, 11, 23), 5)  # 公示, 5 working days (rule set)


def file_exit(world, **extra):
    payload = {
        "kind": "list_exit",
        "subject": world.subject["id"],
        "records": [world.record["id"]],
        "statement": "已履行全部义务, 消除不良影响, 申请提前移出严重违法失信名单。",
        "commitment_signed": "true",
        "performance_proof": [pdf("履行证明.pdf")],
        **extra,
    }
    return world["subject"].post("/api/v1/cases/", payload, format="multipart")


def listed_world(admin_api):
    return build_world(admin_api, kind="serious_list", severity="serious", decided_on="2025-06-02")


def to_publicity(world) -> str:
    response = file_exit(world)
    assert response.status_code == 201, response.content
    number = response.json()["number"]
    decide(world["credit"], "accept", "accept")
    [verify] = queue(world["market"])
    assert verify["due_on"] == add_working_days(date(2026, 11, 23), 7).isoformat()  # market regulation: 7
    decide(world["market"], "verify", "approve", "核查属实, 拟提前移出, 予以公示")
    case = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert case["state"] == "publicity"
    return number


def case_of(world, number) -> dict:
    return world.admin.get(f"/api/v1/cases/{number}/").json()


def test_early_exit_after_publicity_removes_and_lifts(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
    with time_machine.travel(f"{publicity_until()} 23:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # the last day of publicity is still publicity
    with time_machine.travel(f"{add_working_days(publicity_until(), 1)} 09:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 1
        assert list_exit_publicity_sweep() == 0
        assert case_of(world, number)["state"] == "deciding"
        decide(world["market"], "decide", "remove", "公示期满无异议, 准予移出")
    detail = case_of(world, number)
    assert (detail["state"], detail["outcome"]) == ("closed", "removed")
    assert states(world) == (["lifted", "lifted"], "ended")
    assert {"list_exit_publicity", "list_exit_removed"} <= set(
        Outbox.objects.filter(case__number=number).values_list("event", flat=True)
    )


def test_exit_refused_at_verification(admin_api):
    world = listed_world(admin_api)
    number = file_exit(world).json()["number"]
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "reject", "仍有未履行的义务")
    assert (case_of(world, number)["state"], case_of(world, number)["outcome"]) == ("closed", "rejected")
    assert states(world) == (["active", "active"], "published")


def test_a_founded_objection_during_publicity_refuses_the_exit(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        # Anyone signed in may object, here someone who does not represent the subject.
        response = world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": "该企业仍拖欠货款"}, format="json"
        )
        assert response.status_code == 201, response.content
        objection = response.json()
        assert objection["kind"] == "objection" and objection["number"].startswith("YY-")
        assert case_of(world, number)["state"] == "on_hold"
        again = world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": "再次异议"}, format="json"
        )
        assert again.status_code == 409
    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0  # held: the period's end moves nothing
        [task] = queue(world["market"])
        assert task["step"] == "objection_verify" and task["case"] == objection["number"]
        decide(world["market"], "objection_verify", "founded", "经核实仍拖欠货款, 不符合退出条件")
    detail = case_of(world, number)
    assert (detail["state"], detail["outcome"]) == ("closed", "rejected")
    assert case_of(world, objection["number"])["outcome"] == "objection_founded"
    assert states(world) == (["active", "active"], "published")
    assert queue(world["market"]) == []


def test_an_unfounded_objection_lets_the_exit_go_on(admin_api):
    """docs/domain.md §9.5: publicity is a clock; an objection filed before its first day keeps all 5 days,
    which run again after the decision (not: the period is over, because its first end date passed)."""
    with time_machine.travel(MONDAY, tick=False):
        world = listed_world(admin_api)
        number = to_publicity(world)
        world["other_subject"].post(
            f"/api/v1/cases/{number}/publicity-objections/", {"statement": "有异议"}, format="json"
        )
    with time_machine.travel("2026-12-10 09:00 +0800", tick=False):
        decide(world["market"], "objection_verify", "unfounded", "异议无事实依据")
        assert case_of(world, number)["state"] == "publicity"
    resumed_until = add_working_days(date(2026, 12, 10), 5)
    with time_machine.travel(f"{resumed_until} 23:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 0
    with time_machine.travel(f"{add_working_days(resumed_until, 1)} 09:00 +0800", tick=False):
        assert list_exit_publicity_sweep() == 1
        assert case_of(world, number)["state"] == "deciding"
        decide(world["market"], "decide", "remove", "准予移出")
    assert case_of(world, number)["outcome"] == "removed"


def test_early_exit_before_one_year_names_the_date(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, kind="serious_list", decided_on="2026-03-02")
        response = file_exit(world)
    assert response.status_code == 400
    assert response.json()["reapply_on"] == ["2027-03-02"]
    assert Outbox.objects.get(event="case_too_early").context["reapply_on"] == "2027-03-02"


def test_court_list_deleted_within_three_working_days(admin_api):
    """法释〔2017〕7号 art. 10: once a ground is recorded, the court deletes the listing in 3 working days."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, kind="court_dishonest")
        missing = file_exit(world, performance_proof=[])
        assert missing.status_code == 400 and "deletion_ground" in missing.json()
        response = file_exit(world, deletion_ground="performed", performance_proof=[])
        assert response.status_code == 201, response.content
        [task] = response.json()["tasks"]
        assert (task["step"], task["department"]) == ("court_delete", "xy-market")
        assert task["due_on"] == add_working_days(date(2026, 11, 23), 3).isoformat()
        decide(world["market"], "court_delete", "delete", "被执行人已履行全部义务")
    detail = case_of(world, response.json()["number"])
    assert (detail["state"], detail["outcome"]) == ("closed", "removed")
    assert states(world) == (["lifted", "lifted"], "ended")


def test_automatic_exit_at_the_end_of_the_listing_happens_once(admin_api):
    world = build_world(admin_api, kind="serious_list", decided_on="2023-11-01")
    record = CreditRecord.objects.get(public_id=world.record["id"])
    assert record.listed_until == date(2026, 11, 1)  # 3 years (SAMR Order 44)
    with time_machine.travel("2026-11-01 12:00 +0800", tick=False):
        assert list_exit_expire_due() == 0  # its last day on the list
    with time_machine.travel("2026-11-02 01:00 +0800", tick=False):
        assert list_exit_expire_due() == 1
        assert list_exit_expire_due() == 0
    assert states(world) == (["lifted", "lifted"], "ended")
    assert Outbox.objects.filter(event="list_exit_expired").count() == 1
