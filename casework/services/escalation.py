"""The escalation ladder (docs/domain.md §5; rules: `escalation` in the case's rule set).

Per task: a reminder when 60 % of the time limit is used and one working day before the due date; the working
day after it, an overdue notice (催办) to the handler and the department head; 5 working days overdue,
supervision (督办) by the credit office, and the case shows on the overdue board. Each level fires exactly
once — the `(deadline, level)` pair is unique — and is written to the case history. A suspension or an
extension moves the dates of the levels that have not fired; the ones that fired stay fired.

The sweep touches only deadlines whose `next_escalation_on` has come (an indexed column), so its cost grows with
the number of levels due, not with the number of open deadlines.
"""

import math
from datetime import date

from django.db import transaction
from django.utils import timezone

from casework import bulk, events
from casework.calendar import Derived, derive_calendar_days, derive_working_days
from casework.datemath import iso_or_none, required_date
from casework.models import (
    LADDER,
    Case,
    CaseTask,
    Deadline,
    DeadlinePurpose,
    DepartmentKind,
    EscalationEvent,
    EscalationLevel,
    Role,
    User,
)

from .history import history_record_many

REMINDERS = (EscalationLevel.REMIND, EscalationLevel.REMIND_BEFORE_DUE)


def ladder_derived(deadline: Deadline, rules: dict) -> dict[str, Derived]:
    """The day each level falls due for this deadline, as its budget, extensions and pauses stand now, each
    with its provisional flag (a level counted into a year without a calendar is an estimate, see
    casework.calendar.derive_working_days)."""
    budget = deadline.budget_days + deadline.extended_days
    start, paused = deadline.started_on, deadline.suspended_days
    assert deadline.due_on is not None  # derived (deadline_derive_due) before any level is
    due = Derived(deadline.due_on, deadline.provisional)
    # The reminders count in the budget's own unit (calendar days for the court's review); the steps after
    # the due date stay in working days, as for every other task.
    derive = derive_calendar_days if deadline.calendar_days else derive_working_days
    dates: dict[str, Derived] = {
        EscalationLevel.REMIND: derive(start, math.ceil(rules["remind_at_fraction"] * budget) + paused),
        EscalationLevel.REMIND_BEFORE_DUE: derive(
            start, max(0, budget + paused - rules["remind_days_before_due"])
        ),
        EscalationLevel.OVERDUE: due.then(rules["overdue_notice_days_after_due"]),
        EscalationLevel.SUPERVISE: due.then(rules["supervise_days_overdue"]),
    }
    if dates[EscalationLevel.REMIND].date >= dates[EscalationLevel.REMIND_BEFORE_DUE].date:
        # A short budget (2 days): 60 % and "the day before" are the same moment; remind once.
        del dates[EscalationLevel.REMIND]
    return dates


def ladder_dates(deadline: Deadline, rules: dict) -> dict[str, date]:
    """The day each level falls due (`ladder_derived` without the flags)."""
    return {level: derived.date for level, derived in ladder_derived(deadline, rules).items()}


def escalation_rearm(deadline: Deadline, *, fired: set[str] | None = None, dates: dict | None = None) -> None:
    """Set `next_escalation_on` (and its provisional flag) to the earliest level not fired yet (not saved).

    Only step deadlines climb the ladder; a met or suspended deadline has nothing armed. A deadline not
    stored yet is armed only when `fired` is given (a new clock: `set()`).
    """
    if (
        deadline.purpose != DeadlinePurpose.STEP
        or deadline.met_at
        or deadline.is_suspended
        or (not deadline.pk and fired is None)
    ):
        deadline.next_escalation_on = None
        deadline.next_escalation_provisional = False
        return
    if fired is None:
        fired = set(deadline.escalations.values_list("level", flat=True))
    if dates is None:
        dates = ladder_derived(deadline, deadline.case.rule_set.data["escalation"])
    pending = [(derived.date, derived.provisional) for level, derived in dates.items() if level not in fired]
    deadline.next_escalation_on, deadline.next_escalation_provisional = (
        min(pending) if pending else (None, False)
    )


def escalation_sweep(*, today: date | None = None, batch: int = 500) -> int:
    """Fire every level that has come due; returns how many levels fired with a message.

    Work goes in batches, each one transaction that first locks the batch's cases — the order every service
    locks in — with SKIP LOCKED, then their deadlines. A sweep therefore never waits on a clerk or on another
    sweep and never deadlocks with either: a case busy right now is left to the next sweep, a minute later.

    A batch is set-based: whatever the number of levels due in it, it costs the same dozen statements — the
    locks, the levels fired before, the recipients (memoised per department for the sweep), ONE insert each
    of escalation rows, history events (their chains computed in one pass) and outbox rows, and ONE update
    re-arming the deadlines — and one broker message after commit.
    """
    today = today or timezone.localdate()
    fired, last_pk, people = 0, 0, _Memo()
    while True:
        candidates = list(
            Deadline.objects.filter(next_escalation_on__lte=today, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "case_id")[:batch]
        )
        if not candidates:
            return fired
        with transaction.atomic():
            fired += _sweep_batch(candidates, today, people)
        last_pk = candidates[-1][0]


def _sweep_batch(candidates: list[tuple[int, int]], today: date, people: "_Memo") -> int:
    cases = {
        case.pk: case
        # of=self: the joined rule set and office rows are shared by every case; locking them too would
        # make a second sweep skip every case the first one touched, not just its own.
        for case in Case.objects.select_for_update(skip_locked=True, of=("self",))
        .filter(pk__in={case_pk for _, case_pk in candidates})
        .select_related("rule_set", "receiving_office")
    }
    deadlines = list(
        Deadline.objects.select_for_update(of=("self",))
        .filter(
            pk__in=[pk for pk, case_pk in candidates if case_pk in cases],
            next_escalation_on__lte=today,  # re-read under lock: another sweep may have been first
        )
        .select_related("task__department", "task__assignee")
        .order_by("pk")
    )
    if not deadlines:
        return 0
    fired_before: dict[int, set[str]] = {deadline.pk: set() for deadline in deadlines}
    for deadline_pk, level in EscalationEvent.objects.filter(deadline_id__in=fired_before).values_list(
        "deadline_id", "level"
    ):
        fired_before[deadline_pk].add(level)
    fired = _Fired()
    for deadline in deadlines:
        deadline.case = cases[deadline.case_id]
        _escalate(deadline, today, fired_before[deadline.pk], fired, people)
    # Exactly once is the unique (deadline, level) pair: a level another sweep wrote fails this insert and
    # rolls the whole batch back, history and messages with it.
    bulk.insert(
        EscalationEvent,
        ("deadline_id", "level", "due_on", "provisional", "skipped", "department_id"),
        fired.escalations,
    )
    history_record_many(fired.history)
    events.publish_many(fired.events)
    bulk.update(
        Deadline,
        ("next_escalation_on", "next_escalation_provisional"),
        [(d.pk, d.next_escalation_on, d.next_escalation_provisional) for d in deadlines],
    )
    return fired.announced


class _Fired:
    """What one batch writes, gathered before any of it is written."""

    def __init__(self) -> None:
        self.escalations: list[tuple] = []
        self.history: list[dict] = []
        self.events: list[events.Event] = []
        self.announced = 0  # levels fired with a message (counted as before, with or without a task)


def _escalate(
    deadline: Deadline, today: date, fired_before: set[str], fired: _Fired, people: "_Memo"
) -> None:
    dates = people.ladder(deadline)
    due = [
        level
        for level in LADDER
        if level in dates and level not in fired_before and dates[level].date <= today
    ]
    task = getattr(deadline, "task", None)
    for position, level in enumerate(due):
        # A reminder overtaken by a later level that is due as well would only confuse: record, don't send.
        skipped = level in REMINDERS and position < len(due) - 1
        level_due = dates[level]
        fired.escalations.append(
            (
                deadline.pk,
                level,
                level_due.date,
                level_due.provisional,
                skipped,
                # Booked to the department holding the task now, for good (issue 11: 通报 figures).
                task.department_id if task is not None else None,
            )
        )
        if not skipped:
            _announce(deadline, level, level_due, fired, people)
            fired.announced += 1
    escalation_rearm(deadline, fired=fired_before | set(due), dates=dates)


def _announce(deadline: Deadline, level: str, level_due: Derived, fired: _Fired, people: "_Memo") -> None:
    task: CaseTask | None = getattr(deadline, "task", None)
    if task is None:
        return
    case = task.case = deadline.case
    fired.history.append(
        {
            "target": task,
            "action": f"escalated:{level}",
            "actor": None,
            "case": case,
            "from_state": task.state,
            "to_state": task.state,
            "note": people.label(level),
            "data": {
                "level": level,
                "due_on": iso_or_none(deadline.due_on),
                "level_due_on": level_due.date.isoformat(),
                "provisional": level_due.provisional,
            },
        }
    )
    # Exactly once is the escalation row's unique pair; the outbox needs no second key here.
    fired.events.append(
        events.TASK_ESCALATED[level](
            case_id=case.pk,
            number=case.number,
            step=task.step,
            department=task.department.name,
            due_on=required_date(deadline.due_on),
            recipient_ids=people.ids_for_level(task, level),
        )
    )


class _Memo:
    """What one sweep memoises: who hears of a level (a province's late tasks share a few departments) and the ladders."""

    def __init__(self):
        self._members: dict[tuple[int, str], list[User]] = {}
        self._office_heads: dict[int, list[User]] = {}
        self._ids: dict[tuple, tuple[int, ...]] = {}
        self._ladders: dict[tuple, dict[str, Derived]] = {}
        self._labels: dict[str, str] = {}

    def members(self, department, role) -> list[User]:
        key = (department.pk, role)
        if key not in self._members:
            self._members[key] = list(department.members.filter(role=role, is_active=True).order_by("id"))
        return self._members[key]

    def credit_office_heads(self, office) -> list[User]:
        if office.pk not in self._office_heads:
            self._office_heads[office.pk] = list(
                User.objects.filter(
                    role=Role.SUPERVISOR,
                    is_active=True,
                    departments=office,
                    departments__kind=DepartmentKind.CREDIT_OFFICE,
                ).order_by("id")
            )
        return self._office_heads[office.pk]

    def label(self, level: str) -> str:
        if level not in self._labels:
            self._labels[level] = str(EscalationLevel(level).label)
        return self._labels[level]

    def ladder(self, deadline: Deadline) -> dict[str, Derived]:
        """`ladder_derived`, memoised on what it reads: deadlines started the same day with the same budget
        under one rule set (most of a bad morning's) share their ladder."""
        key = (
            deadline.case.rule_set_id,
            deadline.budget_days,
            deadline.extended_days,
            deadline.started_on,
            deadline.suspended_days,
            deadline.due_on,
            deadline.provisional,
        )
        if key not in self._ladders:
            self._ladders[key] = ladder_derived(deadline, deadline.case.rule_set.data["escalation"])
        return self._ladders[key]

    def ids_for_level(self, task: CaseTask, level: str) -> tuple[int, ...]:
        key = (task.department_id, task.assignee_id, task.case.receiving_office_id, level)
        if key not in self._ids:
            self._ids[key] = tuple(user.pk for user in self.for_level(task, level))
        return self._ids[key]

    def for_level(self, task: CaseTask, level: str) -> list[User]:
        handlers = [task.assignee] if task.assignee else self.members(task.department, Role.REVIEWER)
        if level in REMINDERS:
            return handlers
        heads = self.members(task.department, Role.SUPERVISOR)
        if level == EscalationLevel.OVERDUE:
            return _unique(handlers + heads)
        return _unique(handlers + heads + self.credit_office_heads(task.case.receiving_office))


def _unique(users: list[User]) -> list[User]:
    seen, result = set(), []
    for user in users:
        if user.pk not in seen:
            seen.add(user.pk)
            result.append(user)
    return result
