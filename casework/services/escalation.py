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

from casework import events
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

from .history import history_record

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

    Only step deadlines climb the ladder; a met or suspended deadline has nothing armed.
    """
    if (
        deadline.purpose != DeadlinePurpose.STEP
        or deadline.met_at
        or deadline.is_suspended
        or not deadline.pk
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


def escalation_sweep(*, today: date | None = None, batch: int = 200) -> int:
    """Fire every level that has come due; returns how many levels fired with a message.

    Work goes in batches, each one transaction that first locks the batch's cases — the order every service
    locks in — with SKIP LOCKED, then their deadlines. A sweep therefore never waits on a clerk or on another
    sweep and never deadlocks with either: a case busy right now is left to the next sweep, a minute later.
    """
    today = today or timezone.localdate()
    fired, last_pk, people = 0, 0, _People()
    while True:
        candidates = list(
            Deadline.objects.filter(next_escalation_on__lte=today, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "case_id")[:batch]
        )
        if not candidates:
            return fired
        with transaction.atomic():
            cases = {
                case.pk: case
                # of=self: the joined rule set and office rows are shared by every case; locking them too
                # would make a second sweep skip every case the first one touched, not just its own.
                for case in Case.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(pk__in={case_pk for _, case_pk in candidates})
                .select_related("rule_set", "receiving_office")
            }
            deadlines = (
                Deadline.objects.select_for_update(of=("self",))
                .filter(
                    pk__in=[pk for pk, case_pk in candidates if case_pk in cases],
                    next_escalation_on__lte=today,
                )
                .select_related("task__department", "task__assignee")
                .prefetch_related("escalations")
                .order_by("pk")
            )
            events: list = []
            armed: list[Deadline] = []
            for deadline in deadlines:  # re-read under lock: another sweep may have been first
                deadline.case = cases[deadline.case_id]
                fired += _escalate(deadline, today, events, people)
                armed.append(deadline)
            EscalationEvent.objects.bulk_create(events)  # unique (deadline, level): a level fires once
            Deadline.objects.bulk_update(armed, ["next_escalation_on", "next_escalation_provisional"])
        last_pk = candidates[-1][0]


def _escalate(deadline: Deadline, today: date, events: list, people: "_People") -> int:
    dates = ladder_derived(deadline, deadline.case.rule_set.data["escalation"])
    fired_before = {event.level for event in deadline.escalations.all()}
    due = [
        level
        for level in LADDER
        if level in dates and level not in fired_before and dates[level].date <= today
    ]
    announced = 0
    task = getattr(deadline, "task", None)
    for position, level in enumerate(due):
        # A reminder overtaken by a later level that is due as well would only confuse: record, don't send.
        skipped = level in REMINDERS and position < len(due) - 1
        level_due = dates[level]
        events.append(
            EscalationEvent(
                deadline=deadline,
                level=level,
                due_on=level_due.date,
                provisional=level_due.provisional,
                skipped=skipped,
                # Booked to the department holding the task now, for good (issue 11: 通报 figures).
                department_id=task.department_id if task is not None else None,
            )
        )
        if not skipped:
            _announce(deadline, level, level_due, people)
            announced += 1
    escalation_rearm(deadline, fired=fired_before | set(due), dates=dates)
    return announced


def _announce(deadline: Deadline, level: str, level_due: Derived, people: "_People") -> None:
    task: CaseTask | None = getattr(deadline, "task", None)
    if task is None:
        return
    case = task.case = deadline.case
    history_record(
        target=task,
        action=f"escalated:{level}",
        actor=None,
        case=case,
        from_state=task.state,
        to_state=task.state,
        note=str(EscalationLevel(level).label),
        data={
            "level": level,
            "due_on": iso_or_none(deadline.due_on),
            "level_due_on": level_due.date.isoformat(),
            "provisional": level_due.provisional,
        },
    )
    # Exactly once is the escalation row's unique pair; the outbox needs no second key here.
    events.publish(
        events.TASK_ESCALATED[level](
            case_id=case.pk,
            number=case.number,
            step=task.step,
            department=task.department.name,
            due_on=required_date(deadline.due_on),
            recipient_ids=tuple(user.pk for user in people.for_level(task, level)),
        )
    )


class _People:
    """Who hears of a level, memoised for one sweep: a province's late tasks share a few departments."""

    def __init__(self):
        self._members: dict[tuple[int, str], list[User]] = {}
        self._office_heads: dict[int, list[User]] = {}

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
