"""Issue 11: the dashboard's figures — escalations by department and level, on-time rate booked to the
department that held the task when its level fired, training coverage over operating subjects (docs/domain.md §9.14)."""

from datetime import date

import pytest
import time_machine

from casework import statistics
from casework.models import DossierEntryKind, EscalationEvent, Subject
from casework.services.dossier import dossier_record
from casework.services.escalation import escalation_sweep
from casework.services.registry import department_create, subject_set_operating_status, user_create

from .conftest import client_for
from .web_world import add_supervisor, user
from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10):
    return time_machine.travel(f"{day} {hour:02d}:00 +0800", tick=False)


def test_a_reassigned_late_task_stays_on_the_first_departments_record(admin_api):
    """The market regulator let verification run late (催办 and 督办 fired); the credit office moved it to another
    market-regulation office, which finished it. The lateness is the first office's in every figure."""
    with at("2026-11-23"):
        world = build_world(admin_api)
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
        [verify] = queue(world["market"])
        head = add_supervisor()
        # A reassignment goes to a department that can hold the step: the same kind and level.
        other = department_create(
            code="xy-market-2",
            name="鼓楼区市场监管局第二分局",
            kind="market_regulation",
            level="district",
            division="350102",
        )
        _, token = user_create(
            username="market2", password="a-long-password-1", role="reviewer", departments=[other]
        )
        second = client_for(token)
    with at("2026-12-07", 8):
        assert escalation_sweep() == 2
    with at("2026-12-07"):
        from rest_framework.test import APIClient

        office = APIClient()
        office.force_authenticate(head)
        moved = office.post(
            f"/api/v1/tasks/{verify['id']}/reassign/",
            {"department": "xy-market-2", "assignee": "market2", "reason": "逾期未核实, 转第二分局"},
            format="json",
        )
        assert moved.status_code == 200, moved.content
    with at("2026-12-08"):
        done = second.post(
            f"/api/v1/tasks/{verify['id']}/complete/",
            {"decision": "upheld", "note": "核实无误"},
            format="json",
        )
        assert done.status_code == 200, done.content
        assert escalation_sweep() == 0
    assert set(EscalationEvent.objects.values_list("department__code", flat=True)) == {"xy-market"}

    december = date(2026, 12, 1)
    escalations = statistics.escalations_by_department_and_level(head, start=december, end=date(2027, 1, 1))
    assert escalations == [{"department": "鼓楼区市场监管局", "levels": [0, 0, 1, 1], "total": 2}]
    booked = statistics.on_time_booked(head, start=december, end=date(2027, 1, 1))
    assert booked["鼓楼区市场监管局"] == {"accountable": 1, "on_time": 0, "late": 1, "rate": 0.0}
    assert "鼓楼区市场监管局第二分局" not in booked  # it finished a task that was late before it got it
    report = {row["department"]: row for row in statistics.monthly_report(head, month=december)}
    market, tax = report["鼓楼区市场监管局"], report["鼓楼区市场监管局第二分局"]
    assert (market["overdue"], market["supervise"], market["late_on_record"], market["on_time_rate"]) == (
        1,
        1,
        1,
        0,
    )
    assert (tax["overdue"], tax["supervise"], tax["late_on_record"], tax["completed"]) == (0, 0, 0, 1)

    from django.test import Client

    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    with at("2026-12-09"):
        web.force_login(head)
        page = web.get("/supervision/dashboard/").content.decode()
    table = page[page.index("Escalations by department and level") :].split("</table>")[0]
    assert "<tr><td>鼓楼区市场监管局</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>" in table
    assert "第二分局" not in table


def test_rule_14_training_coverage_counts_only_subjects_still_operating(admin_api):
    with at("2026-11-23"):
        world = build_world(admin_api, kind="serious_list", decided_on="2026-01-15")
        head = add_supervisor()
    subject = Subject.objects.get(public_id=world.subject["id"])
    assert subject.operating_status == "operating"
    assert statistics.training_coverage(head).listed == 1
    assert statistics.training_coverage(head).trained == 0
    with at("2026-11-24"):
        subject_set_operating_status(
            subject=subject, status="revoked", actor=user("admin"), note="吊销营业执照"
        )
    coverage = statistics.training_coverage(head)
    assert (coverage.listed, coverage.rate) == (0, None)  # no longer operating: out of the base
    with at("2026-11-25"):
        subject_set_operating_status(subject=subject, status="operating", actor=user("admin"))
        dossier_record(
            subject=subject,
            actor=head,
            kind=DossierEntryKind.TRAINING,
            on=date(2026, 11, 25),
            note="参加信用修复培训",
        )
    coverage = statistics.training_coverage(head)
    assert (coverage.listed, coverage.trained, coverage.met) == (1, 1, True)
