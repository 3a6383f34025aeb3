"""Issue #2: a deadline reaching a year with no working-day calendar is never silently guessed."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from casework import calendar
from casework.models import CalendarRevision, CaseTask, HistoryEvent
from casework.tasks import calendar_redate_task

from .world import build_world, file_objection, forward_objection, queue

pytestmark = pytest.mark.django_db


def accept(world):
    """Accept the objection and forward it at the self-check (docs/domain.md §9.1), the same day."""
    [task] = queue(world["credit"])
    response = world["credit"].post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
    )
    assert response.status_code == 200, response.content
    forward_objection(world)


def test_a_due_date_in_an_unknown_year_is_provisional_not_a_500(
    admin_api, admin_client, django_capture_on_commit_callbacks
):
    with pytest.raises(calendar.CalendarUnknown):
        calendar.add_working_days(date(2026, 12, 28), 5)

    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        world = build_world(admin_api)
        file_objection(world)
        accept(world)
        [verify] = queue(world["market"])

    assert verify["due_provisional"] is True
    assert "2027" in verify["due_note"]
    assert verify["due_on"] > "2027-01-01"

    # The administrator enters the 2027 schedule; the request only queues the re-dating (Celery); the
    # worker's run makes the provisional date a real one.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = admin_client.post(
            reverse("admin:casework_calendaryear_add"),
            {
                "year": "2027",
                "notice": "国务院办公厅关于2027年部分节假日安排的通知",
                "days-TOTAL_FORMS": "1",
                "days-INITIAL_FORMS": "0",
                "days-MIN_NUM_FORMS": "0",
                "days-MAX_NUM_FORMS": "1000",
                "days-0-day": "2027-01-01",
                "days-0-name": "元旦",
            },
        )
    assert response.status_code == 302
    assert CaseTask.objects.get(public_id=verify["id"]).deadline.provisional is True  # not in the request
    assert len(callbacks) >= 1
    [revision] = CalendarRevision.objects.all()
    report = calendar_redate_task(revision.pk)
    assert {"step", "legal", "service"} <= set(report["counts"])
    assert calendar_redate_task(revision.pk) == report  # a redelivered task changes nothing
    task = CaseTask.objects.get(public_id=verify["id"])
    # 29, 30, 31 December, then 1 January is a holiday: 4 and 5 January.
    assert task.deadline.due_on == date(2027, 1, 5) and task.deadline.provisional is False
    assert HistoryEvent.objects.filter(action="due_date_confirmed").count() == 1
    [confirmed] = queue(world["market"])
    assert confirmed["due_on"] == "2027-01-05" and confirmed["due_note"] is None


def test_national_day_is_skipped_and_the_make_up_saturday_counts(admin_api):
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        world = build_world(admin_api)
        file_objection(world)
        accept(world)
        [verify] = queue(world["market"])
    # 30 September; 1–7 October are holidays; then 8, 9 and the make-up Saturday 10 October, and Monday 12.
    assert calendar.is_working_day(date(2026, 10, 10))
    assert verify["due_on"] == calendar.add_working_days(date(2026, 9, 29), 5).isoformat() == "2026-10-12"


def test_verification_extends_to_twenty_days_with_a_supervisor_and_a_reason(admin_api):
    """《浙江省公共信用信息管理条例》 art. 30: 5 working days, extendable to 20 in total with approval."""
    from casework.models import Department
    from casework.services.registry import user_create

    from .conftest import client_for

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api)
        file_objection(world)
        accept(world)
        [verify] = queue(world["market"])
        _, token = user_create(
            username="head",
            password="a-long-password-1",
            role="supervisor",
            departments=[Department.objects.get(code="xy-credit")],
        )
        head = client_for(token)
        url = f"/api/v1/tasks/{verify['id']}/extend/"

        assert (
            world["market"].post(url, {"days": 5, "reason": "需调取档案"}, format="json").status_code == 403
        )
        no_reason = head.post(url, {"days": 5}, format="json")
        assert no_reason.status_code == 400 and "reason" in no_reason.json()
        too_many = head.post(url, {"days": 16, "reason": "需调取档案"}, format="json")
        assert too_many.status_code == 400 and "15" in too_many.json()["days"][0]

        response = head.post(url, {"days": 15, "reason": "需调取外地档案"}, format="json")
        assert response.status_code == 200, response.content
        assert response.json()["due_on"] == calendar.add_working_days(date(2026, 11, 23), 20).isoformat()
        assert head.post(url, {"days": 1, "reason": "再延"}, format="json").status_code == 400

    events = HistoryEvent.objects.filter(action="extended")
    assert [(e.note, e.data["days"]) for e in events] == [("需调取外地档案", 15)]
