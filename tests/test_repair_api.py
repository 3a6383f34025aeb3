"""Issue #3: credit repair (信用修复) through the REST API, one test per outcome and rule-set profile."""

from datetime import date

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from casework.calendar import add_working_days
from notifications.models import Outbox

from .world import build_world, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name: str = "proof.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def file_repair(world, *, client: str = "subject", **files):
    payload = {
        "kind": "repair",
        "subject": world.subject["id"],
        "records": [world.record["id"]],
        "statement": "罚款已缴纳, 年度报告已补报公示。",
        "commitment_signed": "true",
        "performance_proof": [pdf("缴款凭证.pdf")],
        **files,
    }
    return world[client].post("/api/v1/cases/", payload, format="multipart")


def decide(client, step: str, decision: str, note: str = "经核查") -> dict:
    [task] = [t for t in queue(client) if t["step"] == step]
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": note}, format="json"
    )
    assert response.status_code == 200, response.content
    return task


def states(world) -> tuple[list[str], str]:
    sanctions = [world.admin.get(f"/api/v1/sanctions/{s['id']}/").json()["state"] for s in world.sanctions]
    return sanctions, world.admin.get(f"/api/v1/records/{world.record['id']}/").json()["publicity"]


def events(number: str) -> list[str]:
    return list(Outbox.objects.filter(case__number=number).values_list("event", flat=True).distinct())


def test_repair_decided_by_the_provider_after_one_supplement(admin_api):
    """national-2026: 谁认定谁修复, market regulation decides within 7 working days (SAMR Order 107)."""
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="general")
        response = file_repair(world)
        assert response.status_code == 201, response.content
        case = response.json()
        assert case["number"].startswith("XF-2026-") and case["rule_set"] == "national-2026.8"
        [accept] = case["tasks"]
        assert (
            accept["step"] == "accept"
            and accept["due_on"] == add_working_days(date(2026, 11, 23), 3).isoformat()
        )
        decide(world["credit"], "accept", "request_materials", "请补充法定代表人身份证明")
        supplement = world["subject"].post(
            f"/api/v1/cases/{case['number']}/supplement/", {"materials": [pdf()]}, format="multipart"
        )
        assert supplement.status_code == 200, supplement.content
        decide(world["credit"], "accept", "accept")

    [verify] = queue(world["market"])
    assert verify["step"] == "verify"
    assert verify["due_on"] == add_working_days(date(2026, 11, 23), 7).isoformat()
    decide(world["market"], "verify", "approve", "已纠正失信行为, 符合修复条件")

    assert states(world) == (["lifted", "lifted"], "ended")
    detail = world["subject"].get(f"/api/v1/cases/{case['number']}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "repaired")
    actions = [e["action"] for e in detail["history"]]
    assert actions.count("lift") == 2 and "end_publication" in actions and "platform_queued" in actions
    assert {"platform_push", "repair_granted"} <= set(events(case["number"]))
    assert {m["purpose"] for m in detail["materials"]} == {"performance", "supplement"}


def test_repair_rejected_by_the_provider(admin_api):
    world = build_world(admin_api, severity="general")
    number = file_repair(world).json()["number"]
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "reject", "罚款尚未缴纳")
    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"], detail["decision_reason"]) == (
        "closed",
        "rejected",
        "罚款尚未缴纳",
    )
    assert states(world) == (["active", "active"], "published")
    assert "repair_rejected" in events(number)


def test_repair_not_accepted(admin_api):
    world = build_world(admin_api, severity="general")
    number = file_repair(world).json()["number"]
    decide(world["credit"], "accept", "refuse", "不属于本区受理范围")
    assert world["subject"].get(f"/api/v1/cases/{number}/").json()["state"] == "refused"
    assert queue(world["market"]) == []


def test_repair_filed_too_early_names_the_date_to_apply_again(admin_api):
    """A general penalty can be repaired 3 months after the decision (2026-03-02 → 2026-06-02)."""
    with time_machine.travel("2026-04-01 10:00 +0800", tick=False):
        world = build_world(admin_api, severity="general")
        response = file_repair(world)
    assert response.status_code == 400
    body = response.json()
    assert body["reapply_on"] == ["2026-06-02"]
    assert "2026-06-02" in body["records"][0]
    assert world["subject"].get("/api/v1/cases/").json() == []
    [notice] = Outbox.objects.filter(event="case_too_early")
    assert notice.case is None and notice.context["reapply_on"] == "2026-06-02"
    assert notice.recipient.username == "subject"


def test_repair_needs_proof_of_performance(admin_api):
    world = build_world(admin_api, severity="general")
    response = file_repair(world, performance_proof=[])
    assert response.status_code == 400 and "performance_proof" in response.json()


def test_local_plan_reports_level_by_level_to_the_province(admin_api, settings):
    """local-plan (Turpan §16): district → city → province, the province decides; serious records need
    a repair training certificate (发改办财金〔2019〕527号)."""
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api, severity="serious")
        missing = file_repair(world)
        assert missing.status_code == 400 and "training_certificate" in missing.json()
        response = file_repair(world, training_certificate=[pdf("培训证明.pdf")])
        assert response.status_code == 201, response.content
        number = response.json()["number"]
        assert response.json()["rule_set"] == "local-plan.8"
        decide(world["credit"], "accept", "accept")
        decide(world["market"], "verify", "approve", "核查属实")
        assert world["subject"].get(f"/api/v1/cases/{number}/").json()["state"] == "reporting"
        decide(world["credit"], "report_district", "approve", "同意上报")
        assert states(world) == (["active", "active"], "published")
        decide(world["city"], "report_city", "approve", "同意上报")
        decide(world["province"], "report_province", "approve", "准予修复")

    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "repaired")
    steps = [(t["step"], t["department"]) for t in detail["tasks"]]
    assert steps == [
        ("accept", "xy-credit"),
        ("verify", "xy-market"),
        ("report_district", "xy-credit"),
        ("report_city", "xy-city"),
        ("report_province", "xy-province"),
    ]
    assert states(world) == (["lifted", "lifted"], "ended")
    # The result goes to the top of the chain, which pushes it to the national platform.
    [push] = Outbox.objects.filter(case__number=number, event="platform_push")
    assert push.recipient.username == "province"


def test_local_plan_rejected_at_the_city(admin_api, settings):
    settings.CASEWORK_RULE_PROFILE = "local-plan"
    world = build_world(admin_api, severity="general")
    number = file_repair(world).json()["number"]
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "approve")
    decide(world["credit"], "report_district", "approve")
    decide(world["city"], "report_city", "reject", "整改不到位")
    detail = world["subject"].get(f"/api/v1/cases/{number}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "rejected")
    assert queue(world["province"]) == []
