"""Issue #2 acceptance: the objection workflow through the REST API alone."""

from datetime import date

import pytest
import time_machine

from casework.calendar import add_working_days

from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def sanction_states(world) -> list[str]:
    return [world.admin.get(f"/api/v1/sanctions/{s['id']}/").json()["state"] for s in world.sanctions]


@pytest.mark.parametrize(
    ("decision", "extra", "sanctions_after", "publicity_after"),
    [
        ("upheld", {}, "active", "published"),
        ("corrected", {"correction": "处罚决定已变更为警告"}, "revoked", "published"),
        ("supplemented", {"supplement": "当事人已于2026年10月缴清罚款"}, "revoked", "published"),
        ("deleted", {}, "revoked", "deleted"),
        ("publication_stopped", {}, "revoked", "ended"),
    ],
)
def test_objection_end_to_end(admin_api, decision, extra, sanctions_after, publicity_after):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        response = file_objection(world)
        assert response.status_code == 201, response.content
        case = response.json()
        assert case["number"] == "YY-2026-000001"
        assert case["kind"] == "objection" and case["state"] == "filed"
        [accept] = case["tasks"]
        assert accept["step"] == "accept" and accept["department"] == "xy-credit"
        assert accept["due_on"] == add_working_days(date(2026, 11, 23), 2).isoformat()
        # docs/domain.md §9.1: the filing itself marks the record 异议中; sanctions wait for acceptance.
        assert world.admin.get(f"/api/v1/records/{world.record['id']}/").json()["publicity"] == "disputed"
        assert sanction_states(world) == ["active", "active"]

        [task] = queue(world["credit"])
        assert task["id"] == accept["id"]
        assert world["credit"].post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 200
        response = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
        )
        assert response.status_code == 200, response.content

    # Both sanctions suspended from acceptance, each with its own history event; the record shows 异议中.
    for sanction in world.sanctions:
        detail = world.admin.get(f"/api/v1/sanctions/{sanction['id']}/").json()
        assert detail["state"] == "suspended"
        [event] = [e for e in detail["history"] if e["action"] == "suspend"]
        assert (event["from_state"], event["to_state"]) == ("active", "suspended")
    assert world.admin.get(f"/api/v1/records/{world.record['id']}/").json()["publicity"] == "disputed"

    # The credit office's self-check finds no error of its own and forwards (2 working days) …
    [check] = queue(world["credit"])
    assert check["step"] == "self_check"
    assert check["due_on"] == add_working_days(date(2026, 11, 23), 2).isoformat()
    assert queue(world["market"]) == []
    with time_machine.travel(MONDAY, tick=False):
        forward_objection(world)

    # … and the verification task waits in market regulation's queue, due 5 working days after forwarding.
    assert queue(world["credit"]) == []
    [verify] = queue(world["market"])
    assert verify["step"] == "verify" and verify["department"] == "xy-market"
    assert verify["due_on"] == add_working_days(date(2026, 11, 23), 5).isoformat()
    assert verify["due_provisional"] is False

    payload = {"decision": decision, "note": "经核实", **extra}
    with time_machine.travel("2026-11-25 15:00 +0800", tick=False):
        response = world["market"].post(f"/api/v1/tasks/{verify['id']}/complete/", payload, format="json")
    assert response.status_code == 200, response.content
    assert sanction_states(world) == [sanctions_after, sanctions_after]
    assert world.admin.get(f"/api/v1/records/{world.record['id']}/").json()["publicity"] == publicity_after

    detail = world["subject"].get(f"/api/v1/cases/{case['number']}/").json()
    assert detail["state"] == "closed" and detail["outcome"] == decision
    actions = [e["action"] for e in detail["history"]]
    assert actions.count("suspend") == 2
    assert ("reputation_restored" in actions) == (decision != "upheld")

    # Completing an already completed task answers 409 and changes nothing.
    again = world["market"].post(f"/api/v1/tasks/{verify['id']}/complete/", payload, format="json")
    assert again.status_code == 409
    assert world["subject"].get(f"/api/v1/cases/{case['number']}/").json()["history"] == detail["history"]


def test_other_subject_and_unrelated_department_see_nothing(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        [task] = queue(world["credit"])

    assert world["other_subject"].get(f"/api/v1/cases/{number}/").status_code == 404
    assert world["subject"].get(f"/api/v1/cases/{number}/").status_code == 200
    assert queue(world["tax"]) == []
    response = world["tax"].post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 404
    assert world["tax"].post(f"/api/v1/tasks/{task['id']}/claim/").status_code == 404
    # And the subject itself cannot decide its own case.
    assert (
        world["subject"]
        .post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        .status_code
        == 404
    )
