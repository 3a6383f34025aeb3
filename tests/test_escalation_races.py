"""Issue #4: each ladder level fires once even when two sweeps run at the same moment (real threads)."""

from collections import Counter
from datetime import date

import pytest
import time_machine

from casework.models import EscalationEvent, HistoryEvent
from casework.services.escalation import escalation_sweep
from notifications.models import Outbox

from .test_query_counts import add_record_and_file
from .test_races import race
from .world import build_world, queue

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_sweeps_at_once_fire_every_level_once(admin_api):
    with time_machine.travel("2026-11-23 09:00 +0800", tick=False):
        world = build_world(admin_api)
        for n in range(6):
            add_record_and_file(world, n)
        for step, decision in [("accept", "accept"), ("self_check", "forward")]:  # docs/domain.md §9.1
            for task in [t for t in queue(world["credit"]) if t["step"] == step]:
                response = world["credit"].post(
                    f"/api/v1/tasks/{task['id']}/complete/",
                    {"decision": decision, "note": "转送核实"},
                    format="json",
                )
                assert response.status_code == 200, response.content
        assert len(queue(world["market"])) == 6

    with time_machine.travel(date(2026, 12, 1).isoformat() + " 08:00 +0800", tick=False):  # overdue, 催办
        results = race(escalation_sweep, escalation_sweep)
    assert sum(results) == 6  # one overdue notice per task, whichever sweep sent it

    per_level = Counter(EscalationEvent.objects.values_list("deadline_id", "level"))
    assert set(per_level.values()) == {1} and len(per_level) == 6 * 3
    assert HistoryEvent.objects.filter(action="escalated:overdue").count() == 6
    assert Outbox.objects.filter(event="task_overdue").count() == 6
