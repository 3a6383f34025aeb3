"""Issue 5, workspace and supervision: claim, decide with reasons, reassign, overdue board, history, dossier."""

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from casework.models import Case, CaseTask, DossierEntry
from casework.services.escalation import escalation_sweep
from casework.services.registry import user_create

from .test_query_counts import add_record_and_file
from .web_world import add_supervisor, second_market_regulator, user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db

MONDAY = "2026-11-23 10:00 +0800"


def client_of(username: str) -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(user(username))
    return client


@pytest.fixture
def filed(admin_api):
    with time_machine.travel(MONDAY, tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
    return world


def test_claim_refusal_needs_a_reason_then_decide(filed):
    credit = client_of("credit")
    task = CaseTask.objects.get()
    assert task.case.number in credit.get("/workspace/").content.decode()
    assert credit.post(f"/workspace/tasks/{task.public_id}/claim/").status_code == 302
    response = credit.post(f"/workspace/tasks/{task.public_id}/decide/", {"decision": "refuse", "note": ""})
    assert response.status_code == 400
    assert "Give the reason for this decision" in response.content.decode()
    assert Case.objects.get().state == "filed"
    response = credit.post(f"/workspace/tasks/{task.public_id}/decide/", {"decision": "accept", "note": ""})
    assert response.status_code == 302
    assert Case.objects.get().state == "verifying"
    # docs/domain.md §9.1: the credit office's self-check comes first; it offers forwarding and its own fixes.
    check = CaseTask.objects.get(step="self_check")
    assert credit.post(f"/workspace/tasks/{check.public_id}/claim/").status_code == 302
    form = credit.get(f"/workspace/tasks/{check.public_id}/").context["decision_form"]
    assert [name for name, _label in form.fields["decision"].choices] == [
        "forward",
        "publication_stopped",
        "deleted",
        "corrected",
    ]
    assert "correction" in form.fields and "supplement" not in form.fields
    response = credit.post(f"/workspace/tasks/{check.public_id}/decide/", {"decision": "forward", "note": ""})
    assert response.status_code == 302
    assert "YY-2026-000001" in client_of("market").get("/workspace/").content.decode()


def test_bulk_claim_and_a_claim_someone_else_holds(filed):
    task = CaseTask.objects.get()
    user_create(
        username="credit2", password="a-long-password-1", role="reviewer", departments=[task.department]
    )
    response = client_of("credit").post("/workspace/bulk-claim/", {"task": [str(task.public_id)]})
    assert response.status_code == 302
    assert CaseTask.objects.get().assignee.username == "credit"
    response = client_of("credit2").post(f"/workspace/tasks/{task.public_id}/claim/", follow=True)
    assert "This task is claimed by credit." in response.content.decode()


def test_reassign_within_the_department(filed):
    task = CaseTask.objects.get()
    user_create(
        username="credit2", password="a-long-password-1", role="reviewer", departments=[task.department]
    )
    credit = client_of("credit")
    response = credit.post(
        f"/workspace/tasks/{task.public_id}/reassign/", {"assignee": "credit2", "reason": ""}
    )
    assert response.status_code == 400 and "Say why the task is reassigned" in response.content.decode()
    response = credit.post(
        f"/workspace/tasks/{task.public_id}/reassign/", {"assignee": "credit2", "reason": "休假"}
    )
    assert response.status_code == 302
    assert CaseTask.objects.get().assignee.username == "credit2"


def test_the_queue_costs_the_same_queries_however_long(admin_api):
    world = build_world(admin_api)
    add_record_and_file(world, 1)
    credit = client_of("credit")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert credit.get("/workspace/").status_code == 200
        return len(captured.captured_queries)

    few = queries()
    for n in range(2, 7):
        add_record_and_file(world, n)
    assert queries() == few


def test_supervisor_sees_overdue_work_and_reassigns_across_departments(admin_api):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
        [accept] = CaseTask.objects.all()
        client_of("credit").post(f"/workspace/tasks/{accept.public_id}/decide/", {"decision": "accept"})
        check = CaseTask.objects.get(step="self_check")
        client_of("credit").post(f"/workspace/tasks/{check.public_id}/decide/", {"decision": "forward"})
        second_market_regulator()
    with time_machine.travel("2026-10-30 10:00 +0800", tick=False):
        escalation_sweep()
        add_supervisor()
        head = client_of("head")
        board = head.get("/supervision/")
        assert board.status_code == 200
        task = CaseTask.objects.get(step="verify")
        assert board.context["rows"][0]["task"] == task
        assert board.context["rows"][0]["level"] == "supervise"
        url = f"/supervision/tasks/{task.public_id}/reassign/"
        # Issue 12, the same rule as the API: only departments that can hold the step are offered or taken.
        # docs/domain.md §9.8: a provider's verification keeps its department (谁认定谁修复).
        offered = {d.code for d in head.get(url).context["form"].fields["department"].queryset}
        assert offered == {"xy-market"}
        for other in ("xy-tax", "xy-market-east"):
            refused = head.post(url, {"department": other, "reason": "督办: 改由他部门"})
            assert (
                refused.status_code == 400 and CaseTask.objects.get(pk=task.pk).department.code == "xy-market"
            )
            assert "department" in refused.context["form"].errors
        response = head.post(
            url, {"department": "xy-market", "assignee": "market", "reason": "督办: 指定经办人"}
        )
    assert response.status_code == 302
    assert CaseTask.objects.get(pk=task.pk).assignee.username == "market"


def test_case_history_verifies_and_dossier_records_training(filed):
    add_supervisor()
    head = client_of("head")
    number = Case.objects.get().number
    response = head.post(f"/supervision/cases/{number}/verify/")
    assert response.status_code == 200 and response.context["verification"]["breaks"] == []
    subject = Case.objects.get().subject
    response = head.post(
        f"/supervision/subjects/{subject.public_id}/entries/",
        {"kind": "training", "on": "2026-11-20", "note": ""},
    )
    assert response.status_code == 400 and "Write down what happened." in response.content.decode()
    response = head.post(
        f"/supervision/subjects/{subject.public_id}/entries/",
        {"kind": "training", "on": "2026-11-20", "note": "参加信用修复培训"},
    )
    assert response.status_code == 302 and DossierEntry.objects.count() == 1
    assert head.get("/supervision/dashboard/").status_code == 200
    report = head.get("/supervision/reports/monthly/?month=2026-11&format=csv")
    assert report.status_code == 200 and "鼓楼区信用办" in report.content.decode()
    xlsx = head.get("/supervision/reports/monthly/?month=2026-11&format=xlsx")
    assert xlsx.status_code == 200 and xlsx.content[:2] == b"PK"
