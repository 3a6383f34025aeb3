"""Issue #3: switching the active rule-set profile changes new cases only (DESIGN invariant 7)."""

import pytest
import time_machine

from .test_repair_api import decide, file_repair
from .world import build_world, queue

pytestmark = pytest.mark.django_db


def test_switching_the_profile_leaves_running_cases_alone(admin_api, settings):
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api, severity="general")
        old = file_repair(world).json()
        decide(world["credit"], "accept", "accept")
        [verify_before] = queue(world["market"])

    settings.CASEWORK_RULE_PROFILE = "local-plan"
    with time_machine.travel("2026-11-24 10:00 +0800", tick=False):
        new = world.admin.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": "admin_penalty",
                "severity": "general",
                "provider": "xy-market",
                "decided_on": "2026-01-05",
                "summary": "另一处罚",
            },
            format="json",
        ).json()
        world.record = new
        filed = file_repair(world).json()
        assert (old["rule_set"], filed["rule_set"]) == ("national-2026.8", "local-plan.8")
        # The running case keeps its step and due date under the new profile.
        [verify_after] = [t for t in queue(world["market"]) if t["case"] == old["number"]]
        assert (verify_after["step"], verify_after["due_on"]) == (
            verify_before["step"],
            verify_before["due_on"],
        )
        response = world["market"].post(
            f"/api/v1/tasks/{verify_after['id']}/complete/",
            {"decision": "approve", "note": "符合"},
            format="json",
        )
        assert response.status_code == 200
    # national-2026.8: the provider decides — no level-by-level reporting for the old case…
    detail = world.admin.get(f"/api/v1/cases/{old['number']}/").json()
    assert (detail["state"], detail["outcome"]) == ("closed", "repaired")
    # …while the new case follows local-plan.8 all the way up.
    decide(world["credit"], "accept", "accept")
    decide(world["market"], "verify", "approve")
    assert world.admin.get(f"/api/v1/cases/{filed['number']}/").json()["state"] == "reporting"
