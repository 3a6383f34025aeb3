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
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db


def at(day: str, hour: int = 10):
    return time_machine.travel(f"{day} {hour:02d}:00 +0800", tick=False)


def test_a_reassigned_late_task_stays_on_the_first_departments_record(admin_api):
    """The credit office let its self-check run late (催办 and 督办 fired); a supervisor moved it to another
    district credit office, which finished it. The lateness is the first office's in every figure.

    (A provider's verification cannot be moved to another department at all: 谁认定谁修复, docs/domain.md §9.8.)
    """
    with at("2026-11-23"):
        world = build_world(admin_api)
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        [check] = [t for t in queue(world["credit"]) if t["step"] == "self_check"]
        head = add_supervisor(department="xy-city")  # the city oversees both district offices
        # A reassignment goes to a department that can hold the step: the same kind and level.
        other = department_create(
            code="xy-credit-2",
            name="台江区信用办",
            kind="credit_office",
            level="district",
            division="350103",
        )
        _, token = user_create(
            username="credit2", password="a-long-password-1", role="reviewer", departments=[other]
        )
        second = client_for(token)
    with at("2026-12-07", 8):
        assert escalation_sweep() == 2
    with at("2026-12-07"):
        from rest_framework.test import APIClient

        office = APIClient()
        office.force_authenticate(head)
        moved = office.post(
            f"/api/v1/tasks/{check['id']}/reassign/",
            {"department": "xy-credit-2", "assignee": "credit2", "reason": "逾期未自查, 转台江区信用办"},
            format="json",
        )
        assert moved.status_code == 200, moved.content
    with at("2026-12-08"):
        done = second.post(
            f"/api/v1/tasks/{check['id']}/complete/",
            {"decision": "forward", "note": "非平台自身差错, 转送信息提供单位核实"},
            format="json",
        )
        assert done.status_code == 200, done.content
        assert escalation_sweep() == 0
    assert set(EscalationEvent.objects.values_list("department__code", flat=True)) == {"xy-credit"}

    december = date(2026, 12, 1)
    escalations = statistics.escalations_by_department_and_level(head, start=december, end=date(2027, 1, 1))
    assert escalations == [{"department": "鼓楼区信用办", "levels": [0, 0, 1, 1], "total": 2}]
    booked = statistics.on_time_booked(head, start=december, end=date(2027, 1, 1))
    assert booked["鼓楼区信用办"] == {"accountable": 1, "on_time": 0, "late": 1, "rate": 0.0}
    assert "台江区信用办" not in booked  # it finished a task that was late before it got it
    report = {row["department"]: row for row in statistics.monthly_report(head, month=december)}
    first, second_office = report["鼓楼区信用办"], report["台江区信用办"]
    assert (first["overdue"], first["supervise"], first["late_on_record"], first["on_time_rate"]) == (
        1,
        1,
        1,
        0,
    )
    assert (
        second_office["overdue"],
        second_office["supervise"],
        second_office["late_on_record"],
        second_office["completed"],
    ) == (0, 0, 0, 1)

    from django.test import Client

    web = Client(HTTP_ACCEPT_LANGUAGE="en")
    with at("2026-12-09"):
        web.force_login(head)
        page = web.get("/supervision/dashboard/").content.decode()
    table = page[page.index("Escalations by department and level") :].split("</table>")[0]
    assert "<tr><td>鼓楼区信用办</td><td>0</td><td>0</td><td>1</td><td>1</td></tr>" in table
    assert "台江区信用办" not in table


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
