"""The 补正 deadline (docs/domain.md §9.10): a request for missing materials names the last day they may arrive,
the subject is reminded once before it, and after it the request is treated as withdrawn (视为撤回).

Numbers are rule-set data (`supplement`: `answer_days` 10 and `remind_days_before` 2 working days, both
[product default]). Dates are Beijing calendar dates; a deadline counted into a year without a working-day
calendar is an estimate (`materials_due_provisional`).

Two daily sweeps, both written to run side by side with themselves: each claims its rows with SKIP LOCKED and
decides again under the lock, so every case is reminded once and withdrawn once. A late answer
(`services/cases.case_supplement`) locks the same case row: whichever of it and the withdrawal takes the lock
first wins, and the other finds the case moved on (409).
"""

from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import calendar, events, workflows
from casework.models import Case, CaseState, Outcome, TaskState
from casework.rules.common import SUPPLEMENT

from .conclusion import case_conclude
from .deadlines import case_deadlines_meet, deadline_meet, deadline_resume
from .history import history_record
from .records import records_undo_marks
from .sanctions import sanctions_undo_suspensions
from .tasks import task_waiting_for_supplement

# The flow node every 补正 is asked from (flows/base.acceptance_step).
ACCEPTANCE_NODE = "accept"


def supplement_rules(case: Case) -> dict:
    """The case's own `supplement` rules; a case filed under a rule set older than the key (before
    local-plan.5 / national-2026.5) gets the shipped defaults, so no 补正 runs without a deadline."""
    return case.rule_set.data.get("supplement") or SUPPLEMENT


def supplement_deadline_set(case: Case, *, on: date | None = None) -> Case:
    """Name the deadline of a 补正 asked today (or `on`) and the day of its reminder; saved on `case`.

    `materials_due_on` = `on` + answer_days working days (the last day the materials may arrive);
    `materials_remind_on` = `on` + (answer_days − remind_days_before) working days.
    """
    on = on or timezone.localdate()
    rules = supplement_rules(case)
    due = calendar.derive_working_days(on, rules["answer_days"])
    remind = calendar.derive_working_days(on, rules["answer_days"] - rules["remind_days_before"])
    case.materials_due_on, case.materials_due_provisional = due.date, due.provisional
    case.materials_remind_on, case.materials_reminded_at = remind.date, None
    case.save(
        update_fields=[
            "materials_due_on",
            "materials_due_provisional",
            "materials_remind_on",
            "materials_reminded_at",
        ]
    )
    return case


def supplement_too_late(case: Case, *, today: date | None = None) -> bool:
    """Whether the 补正 deadline of `case` has passed (the last day counts as in time)."""
    today = today or timezone.localdate()
    return case.materials_due_on is not None and case.materials_due_on < today


def _claim(filter_kwargs: dict, batch: int) -> list[Case]:
    return list(
        Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(state=CaseState.AWAITING_MATERIALS, **filter_kwargs)
        .order_by("materials_due_on", "id")[:batch]
    )


def supplement_remind_due(*, today: date | None = None, batch: int = 200) -> int:
    """Beat: remind each subject whose 补正 reminder day has come, once. Returns how many were reminded.

    The row is marked sent in the same transaction as its history row and message, and only rows not yet
    marked are claimed, so a second sweep (or a rerun) finds nothing to do.
    """
    today = today or timezone.localdate()
    reminded = 0
    while True:
        with transaction.atomic():
            cases = _claim(
                {
                    "materials_remind_on__lte": today,
                    "materials_reminded_at__isnull": True,
                    "materials_due_on__gte": today,
                },
                batch,
            )
            for case in cases:
                _remind(case)
        reminded += len(cases)
        if len(cases) < batch:
            return reminded


def _remind(case: Case) -> None:
    case.materials_reminded_at = timezone.now()
    case.save(update_fields=["materials_reminded_at"])
    assert case.materials_due_on is not None  # claimed on it
    history_record(
        target=case,
        action="materials_reminded",
        actor=None,
        case=case,
        from_state=case.state,
        to_state=case.state,
        data={"due_on": case.materials_due_on.isoformat()},
    )
    events.publish(
        events.CaseMaterialsReminder.of(
            case, materials=case.materials_requested, due_on=case.materials_due_on
        )
    )


def supplement_withdraw_due(*, today: date | None = None, batch: int = 100) -> int:
    """Beat: every 补正 whose deadline passed without the materials is treated as withdrawn (视为撤回).

    Runs the day after the deadline (the last day counts as in time). Returns how many cases it closed.
    """
    today = today or timezone.localdate()
    withdrawn = 0
    while True:
        with transaction.atomic():
            cases = _claim({"materials_due_on__lt": today}, batch)
            for case in cases:
                case_withdraw(case=case)
        withdrawn += len(cases)
        if len(cases) < batch:
            return withdrawn


def case_withdraw(*, case: Case) -> Case:
    """Close `case` as withdrawn: its 补正 deadline passed unanswered. Call under the case's row lock.

    In one transaction: the marks (异议中) and sanction suspensions the request made are undone (records.py,
    sanctions.py, each with its history and messages), the waiting acceptance task is cancelled, the case
    closes through `case_conclude` with outcome `withdrawn` (history row, message and written notice via the
    `case_withdrawn` event), its clocks are met, and its process ends. Raises Conflict (409) if the case is
    no longer waiting for materials (answered first).
    """
    due_on = case.materials_due_on
    assert due_on is not None  # only a 补正 with a deadline can be withdrawn
    reason = str(
        _(
            "The supplementary materials asked for on %(asked)s did not arrive by %(due)s; the application is "
            "treated as withdrawn. You may file it again with complete materials."
        )
        % {"asked": _asked_on(case).isoformat(), "due": due_on.isoformat()}
    )
    records_undo_marks(case=case, actor=None, note=reason)
    sanctions_undo_suspensions(case=case, actor=None, note=reason)
    task = task_waiting_for_supplement(case)
    case = case_conclude(
        case=case,
        actor=None,
        outcome=Outcome.WITHDRAWN,
        reason=reason,
        event="case_withdrawn",
        via="withdraw",
        data={"due_on": due_on.isoformat()},
        due_on=due_on,
    )
    if task is not None:
        _cancel(task, reason)
    case_deadlines_meet(case=case)
    workflows.pass_through(case, ACCEPTANCE_NODE)
    return case


def _asked_on(case: Case) -> date:
    asked = (
        case.history.filter(action="request_materials").order_by("-id").values_list("at", flat=True).first()
    )
    return timezone.localdate(asked) if asked else timezone.localdate()


def _cancel(task, reason: str) -> None:
    """The acceptance task waited for the subject; nobody is late on it: its clock resumes and is met today."""
    before = task.state
    deadline_resume(deadline=task.deadline)
    deadline_meet(deadline=task.deadline)
    type(task).objects.filter(pk=task.pk).update(
        state=TaskState.CANCELLED, decision=Outcome.WITHDRAWN, note=reason, completed_at=timezone.now()
    )
    history_record(
        target=task,
        action="cancelled",
        actor=None,
        case=task.case,
        from_state=before,
        to_state=TaskState.CANCELLED,
        note=reason,
        data={"decision": Outcome.WITHDRAWN.value},
    )
