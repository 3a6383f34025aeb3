"""A department's work on a step: open, claim, hand back, hold for the subject, complete.

Every change locks the case row first and the task row second. Locking the case serialises all work on
one case — parallel tasks of a case included — so viewflow's own process lock never has to wait, and two
clerks acting on one task at once meet at the case lock: the second then finds the task done and gets a
Conflict (409), never a second completion.
"""

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import policies, txmemo
from casework.datemath import iso_or_none, required_date
from casework.exceptions import Conflict
from casework.models import Case, CaseTask, Department, SuspensionReason, TaskState, User

from .deadlines import (
    case_deadlines_extend,
    case_deadlines_resume,
    case_deadlines_suspend,
    deadline_extend,
    deadline_meet,
    deadline_resume,
    deadline_start,
    deadline_suspend,
)
from .history import history_heads_read, history_record
from .transitions import lock, lock_pk


def task_open(
    *,
    case: Case,
    flow_task,
    step: str,
    department: Department,
    budget_days: int,
    started_on: date | None = None,
    calendar_days: bool = False,
) -> CaseTask:
    """Open a step's task with its clock: `budget_days` from `started_on` (today when None; the filing day for
    a step counted from filing), in working days or, with `calendar_days`, calendar days."""
    deadline = deadline_start(
        case=case, budget_days=budget_days, started_on=started_on, calendar_days=calendar_days
    )
    task = CaseTask.objects.create(
        case=case,
        flow_task=flow_task,
        step=step,
        department=department,
        deadline=deadline,
        due_on=required_date(deadline.due_on),  # derived on creation, never empty
    )
    history_record(
        new_stream=True,
        target=task,
        action="opened",
        actor=None,
        case=case,
        to_state=task.state,
        data={
            "step": step,
            "department": department.code,
            "budget_days": budget_days,
            **({"calendar_days": True} if calendar_days else {}),
            "due_on": iso_or_none(deadline.due_on),
            "provisional": deadline.provisional,
        },
    )
    return task


def _lock_for_work(task: CaseTask, user: User, *, related: tuple[str, ...] = ()) -> CaseTask:
    case = lock_pk(Case, task.case_id)  # the case first, always: the order every path locks in
    task = (
        CaseTask.objects.select_for_update(of=("self",))
        .select_related("department", "deadline", "assignee", *related)
        .get(pk=task.pk)
    )
    task.case = case  # the locked copy, with its office, subject and rule set
    history_heads_read([task, case])  # the events this work writes chain on these heads: one query
    policies.ensure_may_work_task(user, task)
    if task.is_finished:
        raise Conflict(
            _("This task was already completed (%(decision)s) at %(when)s.")
            % {"decision": task.decision or task.get_state_display(), "when": task.completed_at},
            code="already_completed",
        )
    if task.assignee_id and task.assignee_id != user.pk:
        raise Conflict(
            _("This task is claimed by %(name)s.") % {"name": task.assignee.label() if task.assignee else ""},
            code="claimed_by_other",
        )
    return task


def _record(task: CaseTask, action: str, user: User | None, before: str, note: str = "", data=None) -> None:
    history_record(
        target=task,
        action=action,
        actor=user,
        case=task.case,
        from_state=before,
        to_state=task.state,
        note=note,
        data=data,
    )


@transaction.atomic
@txmemo.unit()  # one unit of work: heads, staff and endpoints read once
def task_claim(*, task: CaseTask, user: User) -> CaseTask:
    task = _lock_for_work(task, user)
    if task.assignee_id == user.pk:
        return task
    if task.state == TaskState.WAITING:
        raise Conflict(_("This task is waiting for the subject's materials."), code="waiting")
    before = task.state
    task.state, task.assignee = TaskState.CLAIMED, user
    task.save(update_fields=["state", "assignee"])
    _record(task, "claimed", user, before)
    return task


@transaction.atomic
@txmemo.unit()
def task_unclaim(*, task: CaseTask, user: User) -> CaseTask:
    task = _lock_for_work(task, user)
    if task.assignee_id != user.pk:
        raise Conflict(_("You have not claimed this task."), code="not_claimed")
    before = task.state
    task.assignee = None
    if task.state == TaskState.CLAIMED:
        task.state = TaskState.OPEN
    task.save(update_fields=["state", "assignee"])
    _record(task, "unclaimed", user, before)
    return task


@transaction.atomic
@txmemo.unit()
def task_complete(
    *, task: CaseTask, user: User, decision: str, note: str = "", data: dict[str, Any] | None = None
) -> CaseTask:
    """Decide a step. The step (a flow node) validates the decision and calls the domain service for it;
    a decision that waits on the subject (补正) holds the task instead of finishing it."""
    # The step's viewflow task and process come with the task (read after the case lock, so current): the
    # step runs its flow without reading them again (flows/nodes.py `HumanStep.run`).
    task = _lock_for_work(task, user, related=("flow_task__process__caseprocess",))
    if task.state == TaskState.WAITING:
        raise Conflict(_("This task is waiting for the subject's materials."), code="waiting")
    assert task.flow_task is not None  # every human step is opened by its flow node
    step = task.flow_task.flow_task
    data = data or {}
    step.validate_decision(decision=decision, note=note, data=data)
    if step.holds(decision):
        step.hold(case_task=task, user=user, decision=decision, note=note, data=data)
        return CaseTask.objects.get(pk=task.pk)
    before = task.state
    task.state, task.decision, task.note = TaskState.DONE, decision, note
    task.completed_at, task.completed_by = timezone.now(), user
    task.assignee = task.assignee or user
    task.save(update_fields=["state", "decision", "note", "completed_at", "completed_by", "assignee"])
    deadline_meet(deadline=task.deadline)
    _record(task, "completed", user, before, note=note, data={"decision": decision, **data})
    step.run(task.flow_task, case_task=task, user=user, decision=decision, note=note, data=data)
    return task


def task_hold(*, task: CaseTask, user: User, reason: str, note: str) -> CaseTask:
    """Stop the task's clock while the subject answers (补正); the task leaves the working queue."""
    before = task.state
    task.state = TaskState.WAITING
    task.save(update_fields=["state"])
    deadline_suspend(deadline=task.deadline, reason=reason, note=note)
    case_deadlines_suspend(case=task.case, reason=reason, note=note)  # the subject's turn stops every clock
    _record(task, "held", user, before, note=note, data={"reason": reason})
    return task


def task_release(*, task: CaseTask, actor: User | None) -> CaseTask:
    task = lock(task)
    before = task.state
    task.state = TaskState.CLAIMED if task.assignee_id else TaskState.OPEN
    task.save(update_fields=["state"])
    deadline_resume(deadline=task.deadline)
    case_deadlines_resume(case=task.case)
    task.deadline.refresh_from_db()
    _record(task, "resumed", actor, before, data={"due_on": iso_or_none(task.deadline.due_on)})
    return task


def task_waiting_for_supplement(case: Case) -> CaseTask | None:
    return case.tasks.filter(
        state=TaskState.WAITING, deadline__suspensions__reason=SuspensionReason.SUPPLEMENT
    ).first()


@transaction.atomic
@txmemo.unit()
def task_extend(*, task: CaseTask, user: User, days: int, reason: str) -> CaseTask:
    """Give a step more working days: a supervisor's decision, with a reason, within the rule set's maximum
    (objection verification: 5 days, up to 20 in total with approval — 《浙江省公共信用信息管理条例》 art. 30)."""
    lock(task.case)
    task = CaseTask.objects.select_for_update(of=("self",)).select_related("case", "deadline").get(pk=task.pk)
    policies.ensure_may_extend_task(user, task)
    if task.is_finished:
        raise Conflict(_("This task is already completed."), code="already_completed")
    deadline = task.deadline
    maximum = task.case.rule_set.step(task.case.kind, task.step).get("max_total_days")
    errors: dict[str, object] = {}
    if not (reason or "").strip():
        errors["reason"] = _("Give the reason for the extension; it is recorded in the case history.")
    if maximum is None:
        errors["days"] = _("The rules allow no extension of this step.")
    elif days < 1 or deadline.budget_days + deadline.extended_days + days > maximum:
        errors["days"] = _("At most %(left)d more working days can be granted (%(max)d in total).") % {
            "left": max(0, maximum - deadline.budget_days - deadline.extended_days),
            "max": maximum,
        }
    if errors:
        raise ValidationError(errors)
    before = deadline.due_on
    deadline_extend(deadline=deadline, days=days)
    case_deadlines_extend(case=task.case, days=days)
    _record(
        task,
        "extended",
        user,
        task.state,
        note=reason,
        data={"days": days, "due_on": {"before": iso_or_none(before), "after": iso_or_none(deadline.due_on)}},
    )
    return task
