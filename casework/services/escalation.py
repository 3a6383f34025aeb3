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
from dataclasses import dataclass
from datetime import date

from django.db import connection, transaction
from django.db.models import OuterRef
from django.utils import timezone

from casework import bulk, events
from casework.calendar import Derived, derive_calendar_days, derive_working_days
from casework.datemath import iso_or_none, required_date
from casework.models import (
    LADDER,
    Case,
    Deadline,
    DeadlinePurpose,
    DepartmentKind,
    EscalationEvent,
    EscalationLevel,
    Role,
    RuleSet,
    User,
)
from casework.models.ruleset import rule_set_by_id

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
    re-arming the deadlines — and one broker message after commit. The candidates are read ahead for
    `READ_AHEAD` batches at a time (one pass over the partial index instead of one per batch); each batch
    re-reads its own under lock.
    """
    today = today or timezone.localdate()
    fired, last_pk, people = 0, 0, _Memo()
    while True:
        ahead = list(
            Deadline.objects.filter(next_escalation_on__lte=today, pk__gt=last_pk)
            .order_by("pk")
            .values_list("pk", "case_id")[: batch * READ_AHEAD]
        )
        if not ahead:
            return fired
        for start in range(0, len(ahead), batch):
            candidates = ahead[start : start + batch]
            with transaction.atomic():
                fired += _sweep_batch(candidates, today, people)
        last_pk = ahead[-1][0]


# Batches whose candidates one read of the partial index returns (memory: two integers per candidate).
READ_AHEAD = 10


@dataclass(slots=True)
class _Due:
    """One deadline of a batch as read under its lock, with its task (if any): the attributes the ladder
    (`ladder_derived`) and `escalation_rearm` read, without a model instance per row."""

    pk: int
    case_id: int
    purpose: str
    met_at: object
    suspended_since: date | None
    budget_days: int
    extended_days: int
    suspended_days: int
    started_on: date
    due_on: date | None
    provisional: bool
    calendar_days: bool
    task_pk: int | None
    task_public_id: object
    step: str
    task_state: str
    department_id: int | None
    department_name: str
    assignee_id: int | None
    next_escalation_on: date | None = None
    next_escalation_provisional: bool = False

    @property
    def is_suspended(self) -> bool:
        return self.suspended_since is not None


_DUE_COLUMNS = (
    "pk",
    "case_id",
    "purpose",
    "met_at",
    "suspended_since",
    "budget_days",
    "extended_days",
    "suspended_days",
    "started_on",
    "due_on",
    "provisional",
    "calendar_days",
    "task__pk",
    "task__public_id",
    "task__step",
    "task__state",
    "task__department_id",
    "task__department__name",
    "task__assignee_id",
)


@dataclass(slots=True)
class _LockedCase:
    """What a batch needs of a locked case: history reads `pk` and `rule_set` (the process's copy)."""

    pk: int
    number: str
    rule_set_id: int
    receiving_office_id: int
    rule_set: RuleSet


def _sweep_batch(candidates: list[tuple[int, int]], today: date, people: "_Memo") -> int:
    cases = {
        pk: _LockedCase(pk, number, rule_set_id, office_id, people.rule_set(rule_set_id))
        # of=self: the shared rule set and office rows are not locked (a second sweep would skip every
        # case the first one touched, not just its own). Plain values: no model instance per row.
        for pk, number, rule_set_id, office_id in Case.objects.select_for_update(
            skip_locked=True, of=("self",)
        )
        .filter(pk__in={case_pk for _, case_pk in candidates})
        .values_list("pk", "number", "rule_set_id", "receiving_office_id")
    }
    locked = (
        Deadline.objects.select_for_update(of=("self",))
        .filter(
            pk__in=[pk for pk, case_pk in candidates if case_pk in cases],
            next_escalation_on__lte=today,  # re-read under lock: another sweep may have been first
        )
        .order_by("pk")
    )
    fired_before: dict[int, set[str]] = {}
    deadlines: list[_Due] = []
    if connection.vendor == "postgresql":
        from django.contrib.postgres.expressions import ArraySubquery  # PostgreSQL only: imported here

        # The levels fired before, in the same statement (one index probe per deadline) rather than a query
        # of their own. Its snapshot is taken once this batch holds its cases, which every writer of
        # escalation rows locks first; the unique (deadline, level) pair stays the guard.
        levels_fired = ArraySubquery(
            EscalationEvent.objects.filter(deadline_id=OuterRef("pk")).values("level")
        )
        for *row, levels in locked.annotate(fired_levels=levels_fired).values_list(
            *_DUE_COLUMNS, "fired_levels"
        ):
            deadlines.append(_Due(*row))
            fired_before[row[0]] = set(levels)
        if not deadlines:
            return 0
    else:
        deadlines = [_Due(*row) for row in locked.values_list(*_DUE_COLUMNS)]
        if not deadlines:
            return 0
        fired_before = {deadline.pk: set() for deadline in deadlines}
        for deadline_pk, level in EscalationEvent.objects.filter(deadline_id__in=fired_before).values_list(
            "deadline_id", "level"
        ):
            fired_before[deadline_pk].add(level)
    fired = _Fired()
    for deadline in deadlines:
        _escalate(deadline, cases[deadline.case_id], today, fired_before[deadline.pk], fired, people)
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
    deadline: _Due, case: _LockedCase, today: date, fired_before: set[str], fired: _Fired, people: "_Memo"
) -> None:
    dates = people.ladder(deadline, case)
    due = [
        level
        for level in LADDER
        if level in dates and level not in fired_before and dates[level].date <= today
    ]
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
                deadline.department_id if deadline.task_pk is not None else None,
            )
        )
        if not skipped:
            _announce(deadline, case, level, level_due, fired, people)
            fired.announced += 1
    escalation_rearm(deadline, fired=fired_before | set(due), dates=dates)  # type: ignore[arg-type]


def _announce(
    deadline: _Due, case: _LockedCase, level: str, level_due: Derived, fired: _Fired, people: "_Memo"
) -> None:
    if deadline.task_pk is None:
        return
    fired.history.append(
        {
            "stream": f"casetask:{deadline.task_public_id}",  # stream_of(task), without the instance
            "action": f"escalated:{level}",
            "actor": None,
            "case": case,
            "from_state": deadline.task_state,
            "to_state": deadline.task_state,
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
            step=deadline.step,
            department=deadline.department_name,
            due_on=required_date(deadline.due_on),
            recipient_ids=people.ids_for_level(deadline, case, level),
        )
    )


class _Memo:
    """What one sweep memoises: who hears of a level (a province's late tasks share a few departments), the
    ladders and the rule sets."""

    def __init__(self):
        self._members: dict[tuple[int, str], tuple[int, ...]] = {}
        self._office_heads: dict[int, tuple[int, ...]] = {}
        self._ids: dict[tuple, tuple[int, ...]] = {}
        self._ladders: dict[tuple, dict[str, Derived]] = {}
        self._labels: dict[str, str] = {}
        self._rule_sets: dict[int, RuleSet] = {}

    def rule_set(self, pk: int) -> RuleSet:
        """The process's copy of the rule set (the one `Case.rule_set` reads): rows never change once stored."""
        if pk not in self._rule_sets:
            self._rule_sets[pk] = rule_set_by_id(pk)
        return self._rule_sets[pk]

    def members(self, department_id: int, role: str) -> tuple[int, ...]:
        key = (department_id, role)
        if key not in self._members:
            self._members[key] = tuple(
                User.objects.filter(departments=department_id, role=role, is_active=True)
                .order_by("id")
                .values_list("pk", flat=True)
            )
        return self._members[key]

    def credit_office_heads(self, office_id: int) -> tuple[int, ...]:
        if office_id not in self._office_heads:
            self._office_heads[office_id] = tuple(
                User.objects.filter(
                    role=Role.SUPERVISOR,
                    is_active=True,
                    departments=office_id,
                    departments__kind=DepartmentKind.CREDIT_OFFICE,
                )
                .order_by("id")
                .values_list("pk", flat=True)
            )
        return self._office_heads[office_id]

    def label(self, level: str) -> str:
        if level not in self._labels:
            self._labels[level] = str(EscalationLevel(level).label)
        return self._labels[level]

    def ladder(self, deadline: _Due, case: _LockedCase) -> dict[str, Derived]:
        """`ladder_derived`, memoised on what it reads: deadlines started the same day with the same budget
        under one rule set (most of a bad morning's) share their ladder."""
        key = (
            case.rule_set_id,
            deadline.budget_days,
            deadline.extended_days,
            deadline.started_on,
            deadline.suspended_days,
            deadline.due_on,
            deadline.provisional,
            deadline.calendar_days,
        )
        if key not in self._ladders:
            self._ladders[key] = ladder_derived(deadline, case.rule_set.data["escalation"])  # type: ignore[arg-type]
        return self._ladders[key]

    def ids_for_level(self, deadline: _Due, case: _LockedCase, level: str) -> tuple[int, ...]:
        """Who hears of `level`: the task's assignee, or else its department's active reviewers; from
        the 催办 on also the department's heads; at 督办 also the credit office's supervisors. In that
        order, each once."""
        key = (deadline.department_id, deadline.assignee_id, case.receiving_office_id, level)
        if key not in self._ids:
            assert deadline.department_id is not None  # a task always has a department
            handlers = (
                (deadline.assignee_id,)
                if deadline.assignee_id
                else self.members(deadline.department_id, Role.REVIEWER)
            )
            if level in REMINDERS:
                ids = handlers
            elif level == EscalationLevel.OVERDUE:
                ids = handlers + self.members(deadline.department_id, Role.SUPERVISOR)
            else:
                ids = (
                    handlers
                    + self.members(deadline.department_id, Role.SUPERVISOR)
                    + self.credit_office_heads(case.receiving_office_id)
                )
            self._ids[key] = tuple(dict.fromkeys(ids))
        return self._ids[key]
