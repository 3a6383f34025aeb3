"""Issue #3: bankruptcy-restructuring repair (破产重整), two stages, one parallel task per provider department."""

from datetime import date

import pytest
import time_machine

from casework.calendar import add_working_days

from .test_repair_api import decide, pdf
from .world import build_world, created, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def restructuring_world(admin_api):
    """Records at three departments (market regulation, tax, court), each with a sanction."""
    world = build_world(admin_api, severity="general")
    world.records = [world.record]
    for provider, kind, summary in [
        ("xy-tax", "admin_penalty", "逾期申报 (榕鼓税罚〔2026〕1号)"),
        ("xy-court", "court_dishonest", "拒不履行判决 ((2026) 闽0102执1号)"),
    ]:
        record = created(
            world.admin.post(
                "/api/v1/records/",
                {
                    "subject": world.subject["id"],
                    "kind": kind,
                    "severity": "serious",
                    "provider": provider,
                    "decided_on": "2026-05-06",
                    "summary": summary,
                },
                format="json",
            )
        )
        world.records.append(record)
        world.sanctions.append(
            created(
                world.admin.post(
                    "/api/v1/sanctions/",
                    {"record": record["id"], "measure": "限制高消费", "implementer": "xy-finance"},
                    format="json",
                )
            )
        )
    return world


def file_bankruptcy(world):
    return world["subject"].post(
        "/api/v1/cases/",
        {
            "kind": "bankruptcy_repair",
            "subject": world.subject["id"],
            "records": [r["id"] for r in world.records],
            "statement": "法院已裁定批准重整计划, 管理人申请信用修复。",
            "commitment_signed": "true",
            "administrator": "true",
            "ruling": [pdf("批准重整计划裁定书.pdf")],
        },
        format="multipart",
    )


def publicity(world) -> list[str]:
    return [world.admin.get(f"/api/v1/records/{r['id']}/").json()["publicity"] for r in world.records]


def sanction_states(world) -> set[str]:
    return {world.admin.get(f"/api/v1/sanctions/{s['id']}/").json()["state"] for s in world.sanctions}


def test_two_stages_with_three_parallel_departments(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = restructuring_world(admin_api)
        missing = world["subject"].post(
            "/api/v1/cases/",
            {
                "kind": "bankruptcy_repair",
                "subject": world.subject["id"],
                "records": [world.record["id"]],
                "statement": "申请",
                "commitment_signed": "true",
            },
            format="multipart",
        )
        assert missing.status_code == 400 and "ruling" in missing.json()
        response = file_bankruptcy(world)
        assert response.status_code == 201, response.content
        case = response.json()
        number = case["number"]
        assert case["state"] == "shielding" and case["number"].startswith("PC-")
        due = add_working_days(date(2026, 11, 23), 3).isoformat()
        assert sorted((t["step"], t["department"], t["due_on"]) for t in case["tasks"]) == [
            ("shield", "xy-court", due),
            ("shield", "xy-market", due),
            ("shield", "xy-tax", due),
        ]
        early = world["subject"].post(
            f"/api/v1/cases/{number}/completion-report/", {"materials": [pdf()]}, format="multipart"
        )
        assert early.status_code == 409

        decide(world["market"], "shield", "shield", "")
        decide(world["tax"], "shield", "shield", "")
        # Two of three done: the join waits, the case has not moved on.
        detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
        assert detail["state"] == "shielding"
        assert publicity(world) == ["shielded", "shielded", "published"]
        decide(world["court"], "shield", "shield", "")

    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert detail["state"] == "awaiting_completion"
    assert publicity(world) == ["shielded"] * 3 and sanction_states(world) == {"lifted"}
    # Waiting for the plan: no task is open anywhere, so no step clock runs, and the case's own clocks stand still.
    assert all(t["state"] == "done" for t in detail["tasks"])
    assert [queue(world[name]) for name in ("market", "tax", "court")] == [[], [], []]
    assert {c["purpose"]: c["paused"] for c in detail["deadlines"]} == {"legal": True, "service": True}
    legal_before = next(c for c in detail["deadlines"] if c["purpose"] == "legal")

    with time_machine.travel("2027-01-05 10:00 +0800", tick=False):  # a year without a calendar yet
        report = world["subject"].post(
            f"/api/v1/cases/{number}/completion-report/",
            {"note": "重整计划已执行完毕", "materials": [pdf("执行完毕裁定.pdf")]},
            format="multipart",
        )
        assert report.status_code == 200, report.content
        assert report.json()["state"] == "repairing"
        legal = next(c for c in report.json()["deadlines"] if c["purpose"] == "legal")
        assert legal["paused"] is False and legal["suspended_days"] > 0
        assert legal["due_on"] > legal_before["due_on"]  # the wait did not eat the legal time limit
        stage2 = [t for t in report.json()["tasks"] if t["step"] == "full_repair"]
        assert sorted(t["department"] for t in stage2) == ["xy-court", "xy-market", "xy-tax"]
        for name in ("market", "tax", "court"):
            decide(world[name], "full_repair", "repair", "")
    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "repaired")
    assert publicity(world) == ["ended"] * 3


def test_refused_by_every_department(admin_api):
    world = restructuring_world(admin_api)
    number = file_bankruptcy(world).json()["number"]
    for name in ("market", "tax", "court"):
        decide(world[name], "shield", "refuse", "裁定未涉及本单位记录")
    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "rejected")
    assert publicity(world) == ["published"] * 3 and sanction_states(world) == {"active"}


def test_stage_two_only_at_departments_that_shielded(admin_api):
    world = restructuring_world(admin_api)
    number = file_bankruptcy(world).json()["number"]
    decide(world["market"], "shield", "shield", "")
    decide(world["tax"], "shield", "refuse", "税款尚未清缴")
    decide(world["court"], "shield", "shield", "")
    report = world["subject"].post(
        f"/api/v1/cases/{number}/completion-report/", {"materials": [pdf()]}, format="multipart"
    )
    stage2 = sorted(t["department"] for t in report.json()["tasks"] if t["step"] == "full_repair")
    assert stage2 == ["xy-court", "xy-market"]
