"""Issue 11 acceptance: dates into a year nobody has published, and re-dating when the year is entered.

With 2027 unknown (chinese-calendar 1.11 stops at 2026), every derived date — step due dates, the case's legal
and service clocks, escalation levels, the list-exit publicity end, the execution-feedback escalation — avoids
the fixed-date holidays and is flagged provisional when it lies in 2027. `manage.py calendar_year enter`
(a made-up 2027 schedule) re-dates each of them with a history event (from → to), in the Celery task; a
correction re-dates the now confirmed dates again.
"""

import datetime
from datetime import date

import pytest
import time_machine

from casework import calendar
from casework.models import CalendarRevision, Case, Deadline, EscalationEvent, HistoryEvent
from casework.services.escalation import escalation_sweep, ladder_derived
from casework.tasks import calendar_redate_task
from integration.models import SanctionExecution

from .command_support import run
from .test_list_exit_api import file_exit
from .test_repair_api import decide
from .world import build_world, created, forward_objection, queue

pytestmark = pytest.mark.django_db

FIXED = {(1, 1), (5, 1), (10, 1), (10, 2), (10, 3)}
# Made up for the test: New Year's Day with a Monday off, made up on Saturday 9 January.
SCHEDULE = "2027-01-01 holiday 元旦\n2027-01-04 holiday 元旦\n2027-01-09 workday 元旦调休\n"
# The Monday off was a slip in copying the notice; the make-up Saturday stays.
CORRECTED = "2027-01-01 holiday 元旦\n2027-01-09 workday 元旦调休\n"


def derived_dates() -> list[tuple[str, date, bool]]:
    """(what, date, provisional) for every date still ahead of its event."""
    rows = []
    for deadline in Deadline.objects.filter(met_at__isnull=True).select_related("case__rule_set"):
        rows.append((str(deadline.purpose), deadline.due_on, deadline.provisional))
        if deadline.next_escalation_on:
            rows.append(("next_level", deadline.next_escalation_on, deadline.next_escalation_provisional))
        if deadline.purpose == "step":
            for level, derived in ladder_derived(deadline, deadline.case.rule_set.data["escalation"]).items():
                rows.append((f"level:{level}", derived.date, derived.provisional))
    for case in Case.objects.filter(state="publicity"):
        rows.append(("publicity", case.publicity_until, case.publicity_provisional))
    for execution in SanctionExecution.objects.filter(escalated_at__isnull=True, escalate_on__isnull=False):
        rows.append(("feedback", execution.escalate_on, execution.escalate_on_provisional))
    return rows


def expected_dates() -> list[tuple[str, date]]:
    """What each date is under the calendar now known (the contract functions, which raise if unknown)."""
    rows = []
    for deadline in Deadline.objects.filter(met_at__isnull=True):
        budget = deadline.budget_days + deadline.extended_days + deadline.suspended_days
        rows.append((str(deadline.purpose), calendar.add_working_days(deadline.started_on, budget)))
    for case in Case.objects.filter(state="publicity"):
        rows.append(("publicity", calendar.add_working_days(case.publicity_from, 5)))
    for execution in SanctionExecution.objects.filter(escalated_at__isnull=True, escalate_on__isnull=False):
        since = datetime.datetime.fromisoformat(execution.mismatch_since.isoformat())
        rows.append(("feedback", calendar.add_working_days(since.astimezone(_BEIJING).date(), 3)))
    return rows


_BEIJING = datetime.timezone(datetime.timedelta(hours=8))


def stored_dates() -> list[tuple[str, date]]:
    rows = [
        (what, day) for what, day, _flag in derived_dates() if not what.startswith(("level:", "next_level"))
    ]
    return rows


def world_into_2027(admin_api):
    """A list exit in publicity and an objection with a feedback mismatch, all with dates into 2027."""
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        world = build_world(admin_api, kind="serious_list", severity="serious", decided_on="2025-06-02")
        assert file_exit(world).status_code == 201
        decide(world["credit"], "accept", "accept")
        decide(world["market"], "verify", "approve", "核查属实, 拟提前移出, 予以公示")
        record = created(
            admin_api.post(
                "/api/v1/records/",
                {
                    "subject": world.subject["id"],
                    "kind": "admin_penalty",
                    "severity": "general",
                    "provider": "xy-market",
                    "decided_on": "2026-06-01",
                    "summary": "未按规定公示年度报告 (闽榕市监罚〔2026〕31号)",
                },
                format="json",
            )
        )
        sanction = created(
            admin_api.post(
                "/api/v1/sanctions/",
                {"record": record["id"], "measure": "限制享受税收优惠", "implementer": "xy-tax"},
                format="json",
            )
        )
        reported = world["tax"].post(
            f"/api/v1/sanctions/{sanction['id']}/feedback/",
            {
                "state": "applied",
                "on": "2026-12-28",
                "reference": "榕税惩〔2026〕90号",
                "reported_by": "王五",
            },
            format="json",
        )
        assert reported.status_code in (200, 201), reported.content
    with time_machine.travel("2026-12-30 10:00 +0800", tick=False):
        created(
            world["subject"].post(
                "/api/v1/cases/",
                {
                    "kind": "objection",
                    "subject": world.subject["id"],
                    "records": [record["id"]],
                    "statement": "该处罚已被撤销, 记录有误。",
                    "commitment_signed": True,
                },
                format="json",
            )
        )
        [task] = [t for t in queue(world["credit"]) if t["step"] == "accept"]
        done = world["credit"].post(
            f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json"
        )
        assert done.status_code == 200, done.content
        forward_objection(world)  # the provider's verification runs into 2027
    return world


def enter(action: str, text: str, tmp_path, django_capture_on_commit_callbacks) -> dict:
    path = tmp_path / f"{action}.txt"
    path.write_text(text, encoding="utf-8")
    with time_machine.travel("2026-12-31 09:00 +0800", tick=False):
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            run(
                "calendar_year",
                action,
                "2027",
                "--file",
                str(path),
                "--notice",
                "国务院办公厅关于2027年部分节假日安排的通知",
            )
        assert callbacks  # queued after commit; the command itself re-dates nothing
        revision = CalendarRevision.objects.order_by("-id").first()
        assert revision.redated_at is None
        return calendar_redate_task(revision.pk)  # what the worker runs


def test_dates_into_an_unknown_year_are_flagged_off_fixed_holidays_and_redated_with_history(
    admin_api, tmp_path, django_capture_on_commit_callbacks
):
    world_into_2027(admin_api)

    # -- 2027 unknown: no date on a fixed-date holiday; every date in 2027 flagged --------------------------
    before = derived_dates()
    kinds = {what for what, _day, _flag in before}
    assert {"step", "legal", "service", "next_level", "level:overdue", "publicity", "feedback"} <= kinds
    for what, day, provisional in before:
        assert (day.month, day.day) not in FIXED, (what, day)
        if day.year == 2027:
            assert provisional, (what, day)
    in_2027 = {what for what, day, _flag in before if day.year == 2027}
    assert {"step", "legal", "service", "publicity", "feedback", "next_level"} <= in_2027
    # 29, 30, 31 December, then 4 and 5 January: the estimate skipped 1 January.
    assert Case.objects.get(state="publicity").publicity_until == date(2027, 1, 5)

    # -- enter 2027 (made up): every date re-dated, with history -----------------------------------------------
    report = enter("enter", SCHEDULE, tmp_path, django_capture_on_commit_callbacks)
    after = derived_dates()
    assert all(not provisional for _what, _day, provisional in after)
    assert sorted(stored_dates()) == sorted(expected_dates())
    # With 4 January off, the publicity of 5 working days ends on 6 January, not on the estimate's 5th.
    assert Case.objects.get(state="publicity").publicity_until == date(2027, 1, 6)
    assert {"step", "legal", "service", "escalation", "publicity", "feedback"} <= set(report["counts"])
    assert all(row["was_provisional"] and not row["provisional"] for row in report["moved"])
    actions = HistoryEvent.objects.values_list("action", flat=True)
    assert {
        "due_date_confirmed",
        "case_clock_confirmed",
        "publicity_end_redated",
        "feedback_escalation_redated",
    } <= set(actions)
    for row in report["moved"]:
        if row["what"] == "escalation":
            continue  # written on its deadline's event
        event = HistoryEvent.objects.filter(
            data__calendar_revision=report["revision"], note=f"{row['from']} → {row['to']}"
        )
        assert event.exists(), row
    shown = run("calendar_year", "show", "2027")
    assert "2027: override" in shown and "publicity" in shown and "~2027-01-05 → 2027-01-06" in shown

    # -- a correction re-dates confirmed dates too -------------------------------------------------------------
    confirmed = HistoryEvent.objects.order_by("-id").values_list("id", flat=True).first()
    report = enter("correct", CORRECTED, tmp_path, django_capture_on_commit_callbacks)
    assert sorted(stored_dates()) == sorted(expected_dates())
    assert Case.objects.get(state="publicity").publicity_until == date(2027, 1, 5)
    assert {"step", "legal", "service", "publicity", "feedback"} <= set(report["counts"])
    assert all(not row["was_provisional"] and not row["provisional"] for row in report["moved"])
    redated = HistoryEvent.objects.filter(id__gt=confirmed).values_list("action", flat=True)
    assert {
        "due_date_redated",
        "case_clock_redated",
        "publicity_end_redated",
        "feedback_escalation_redated",
    } <= set(redated)
    # One event per re-dated deadline (its due date and next level together), publicity end and mismatch.
    deadlines = {row["deadline"] for row in report["moved"] if "deadline" in row}
    others = [row for row in report["moved"] if row["what"] in ("publicity", "feedback")]
    assert len(redated) == len(deadlines) + len(others)


def test_no_overdue_notice_fires_on_new_years_day_in_an_unknown_year(admin_api):
    """Fault: a 催办 fired on 2027-01-01. A step due Thursday 31 December is overdue the next working day:
    the estimate says Monday 4 January (1 January is a holiday every year), flagged provisional."""
    with time_machine.travel("2026-12-24 10:00 +0800", tick=False):
        world = build_world(admin_api)
        created(
            world["subject"].post(
                "/api/v1/cases/",
                {
                    "kind": "objection",
                    "subject": world.subject["id"],
                    "records": [world.record["id"]],
                    "statement": "该处罚已被撤销, 记录有误。",
                    "commitment_signed": True,
                },
                format="json",
            )
        )
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
        forward_objection(world)
        [verify] = queue(world["market"])
        assert verify["due_on"] == "2026-12-31" and verify["due_provisional"] is False
    fired_on = {}
    day = date(2026, 12, 24)
    while day <= date(2027, 1, 15):
        with time_machine.travel(f"{day} 09:00 +0800", tick=False):
            escalation_sweep(today=day)
        for event in EscalationEvent.objects.exclude(level__in=fired_on):
            fired_on[event.level] = (day, event)
        day += datetime.timedelta(days=1)
    assert date(2027, 1, 1) not in {when for when, _event in fired_on.values()}
    overdue_day, overdue = fired_on["overdue"]
    assert overdue_day == overdue.due_on == date(2027, 1, 4) and overdue.provisional is True
    supervise_day, supervise = fired_on["supervise"]
    assert supervise.provisional is True and (supervise_day.month, supervise_day.day) not in FIXED
    assert fired_on["remind_before_due"][1].provisional is False  # 30 December: a known day
    history = HistoryEvent.objects.get(action="escalated:overdue")
    assert history.data["provisional"] is True
