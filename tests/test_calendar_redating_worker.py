"""Issue 11: the re-dating after a year is entered runs in a real Celery worker (a separate process on the
configured broker and the test database), not in the administrator's request."""

import subprocess
import sys
from datetime import date

import pytest
import time_machine

from casework.models import CalendarRevision, CaseTask, HistoryEvent
from casework.services.calendar_years import ScheduleDay, calendar_year_save

from .test_worker_kill import ROOT, WAIT, Worker, worker_env  # noqa: F401  (fixture)
from .world import build_world, file_objection, forward_objection, queue

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_confirms_provisional_due_dates_once_2027_is_entered(admin_api, worker_env):  # noqa: F811
    env, queue_name = worker_env
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        world = build_world(admin_api)
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
        [verify] = queue(world["market"])
        assert verify["due_provisional"] is True and verify["due_on"] == "2027-01-05"
        revision = calendar_year_save(
            year=2027,
            notice="国务院办公厅关于2027年部分节假日安排的通知",
            days=[
                ScheduleDay(date(2027, 1, 1), "holiday", "元旦"),
                ScheduleDay(date(2027, 1, 4), "holiday", "元旦"),
            ],
            actor=None,
            correct=False,
        )
    step = CaseTask.objects.get(public_id=verify["id"]).deadline
    assert step.provisional is True  # saved, committed, and not re-dated by the saving process

    worker = Worker(env, queue_name)
    try:
        worker.wait_for("ready")
        subprocess.run(
            [sys.executable, "-m", "celery", "-A", "config", "call", "casework.tasks.calendar_redate_task",
             "--args", f"[{revision.pk}]", "--queue", queue_name],
            cwd=ROOT, env=env, check=True, capture_output=True, timeout=WAIT,
        )  # fmt: skip
        worker.wait_for("succeeded")
    finally:
        worker.stop()

    revision = CalendarRevision.objects.get(pk=revision.pk)
    assert revision.redated_at is not None and revision.report["counts"]["step"] == 1
    step.refresh_from_db()
    # 29, 30, 31 December; 1 and 4 January are holidays; 5 and 6 January.
    assert (step.due_on.isoformat(), step.provisional) == ("2027-01-06", False)
    event = HistoryEvent.objects.get(action="due_date_confirmed")
    assert event.data["provisional_due_on"] == "2027-01-05" and event.data["due_on"] == "2027-01-06"
