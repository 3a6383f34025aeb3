"""Issue 9 item 3: administrators see and can act on everything. Their landing page, the overdue board, was
always empty and reassigning as an administrator answered 404, because the task scope gave them nothing."""

import pytest
import time_machine
from django.test import Client

from casework.models import CaseTask, HistoryEvent
from casework.services.escalation import escalation_sweep

from .web_world import second_market_regulator, user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db


@pytest.fixture
def late_verification(admin_api):
    """An objection whose verification by the market regulator is 督办 (5 working days late)."""
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
        accept = CaseTask.objects.get(step="accept")
        done = world["credit"].post(
            f"/api/v1/tasks/{accept.public_id}/complete/", {"decision": "accept"}, format="json"
        )
        assert done.status_code == 200
        check = CaseTask.objects.get(step="self_check")
        forwarded = world["credit"].post(
            f"/api/v1/tasks/{check.public_id}/complete/", {"decision": "forward"}, format="json"
        )
        assert forwarded.status_code == 200
        second_market_regulator()
    with time_machine.travel("2026-10-30 10:00 +0800", tick=False):
        escalation_sweep()
    return CaseTask.objects.get(step="verify")


def test_an_administrator_sees_the_overdue_board_and_reassigns_through_the_api(admin_api, late_verification):
    task = late_verification
    with time_machine.travel("2026-10-30 10:00 +0800", tick=False):
        board = admin_api.get("/api/v1/supervision/overdue/")
        assert board.status_code == 200
        assert [row["id"] for row in board.json()] == [str(task.public_id)]
        assert board.json()[0]["escalation"] == "supervise"
        # docs/domain.md §9.8: the provider's verification stays with the provider (谁认定谁修复)…
        refused = admin_api.post(
            f"/api/v1/tasks/{task.public_id}/reassign/",
            {"department": "xy-market-east", "assignee": "market-east", "reason": "督办: 改由东街所核实"},
            format="json",
        )
        assert refused.status_code == 400 and "department" in refused.json()
        # …and goes to a named reviewer there.
        moved = admin_api.post(
            f"/api/v1/tasks/{task.public_id}/reassign/",
            {"assignee": "market", "reason": "督办: 指定经办人核实"},
            format="json",
        )
    assert moved.status_code == 200, moved.content
    assert (moved.json()["department"], moved.json()["assignee"]) == ("xy-market", "market")
    [event] = HistoryEvent.objects.filter(action="reassigned")
    assert event.actor.username == "admin" and event.data["after"] == {
        "department": "xy-market",
        "assignee": "market",
    }


def test_an_administrators_landing_page_is_the_overdue_board_with_the_late_work(late_verification):
    task = late_verification
    admin = Client(HTTP_ACCEPT_LANGUAGE="en")
    admin.force_login(user("admin"))
    with time_machine.travel("2026-10-30 10:00 +0800", tick=False):
        landing = admin.get("/", follow=True)
        assert landing.status_code == 200
        assert [row["task"] for row in landing.context["rows"]] == [task]
        url = f"/supervision/tasks/{task.public_id}/reassign/"
        offered = {d.code for d in admin.get(url).context["form"].fields["department"].queryset}
        assert offered == {"xy-market"}  # the provider's own step (docs/domain.md §9.8)
        refused = admin.post(url, {"department": "xy-market-east", "reason": "督办: 改由东街所核实"})
        assert refused.status_code == 400 and "谁认定谁修复" in str(
            refused.context["form"].errors["department"]
        )
        response = admin.post(url, {"department": "xy-market", "assignee": "market", "reason": "督办"})
    assert response.status_code == 302
    assert CaseTask.objects.get(pk=task.pk).assignee.username == "market"
