"""Working-day budgets (DESIGN invariant 4): the due date is derived from the budget, its start, the
extensions and the suspension ledger, and stored only for indexing."""

from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from casework import calendar
from casework.models import Case, Deadline, DeadlineSuspension


def _weekdays_between(start: date, end: date) -> int:
    return sum(1 for i in range(1, (end - start).days + 1) if (start + timedelta(days=i)).weekday() < 5)


def _weekday_estimate(start: date, n: int) -> date:
    """Only for a provisional date, flagged as such: the real count needs a calendar nobody has yet."""
    day = start
    while day.weekday() >= 5:
        day += timedelta(days=1)
    while n > 0:
        day += timedelta(days=1)
        if day.weekday() < 5:
            n -= 1
    return day


def deadline_derive_due(deadline: Deadline) -> None:
    """Recompute `due_on`, `suspended_days` and `provisional` from the budget and the ledger (not saved).

    The suspended days are counted again from the ledger every time rather than accumulated, so that a
    suspension that reached into an unknown year is counted exactly once the calendar is entered.
    """
    closed = (
        [(s.started_on, s.ended_on) for s in deadline.suspensions.all() if s.ended_on] if deadline.pk else []
    )
    budget = deadline.budget_days + deadline.extended_days
    try:
        deadline.suspended_days = sum(calendar.working_days_between(a, b) for a, b in closed)
        deadline.due_on = calendar.add_working_days(deadline.started_on, budget + deadline.suspended_days)
        deadline.provisional = False
    except calendar.CalendarUnknown:
        deadline.suspended_days = sum(_weekdays_between(a, b) for a, b in closed)
        deadline.due_on = _weekday_estimate(deadline.started_on, budget + deadline.suspended_days)
        deadline.provisional = True


def deadline_start(*, case: Case, budget_days: int, started_on: date | None = None) -> Deadline:
    deadline = Deadline(case=case, budget_days=budget_days, started_on=started_on or timezone.localdate())
    deadline_derive_due(deadline)
    deadline.save()
    return deadline


def deadline_suspend(*, deadline: Deadline, reason: str, note: str = "", on: date | None = None) -> None:
    """Stop the clock (补正, verification, court proceedings) until `deadline_resume`."""
    on = on or timezone.localdate()
    if deadline.is_suspended:
        return
    deadline.suspended_since = on
    deadline.save(update_fields=["suspended_since"])
    DeadlineSuspension.objects.create(deadline=deadline, reason=reason, note=note, started_on=on)


def deadline_resume(*, deadline: Deadline, on: date | None = None) -> None:
    """Restart the clock; the due date moves by exactly the working days the clock stood still.

    The days counted are those in (suspended_since, on]: the day the clock stopped was already spent, and
    the day the materials arrive is not charged to the department.
    """
    on = on or timezone.localdate()
    if not deadline.is_suspended:
        return
    suspension = deadline.suspensions.filter(ended_on__isnull=True).latest("id")
    suspension.ended_on = on
    try:
        suspension.working_days = calendar.working_days_between(suspension.started_on, on)
    except calendar.CalendarUnknown:
        suspension.working_days = None
    suspension.save(update_fields=["ended_on", "working_days"])
    deadline.suspended_since = None
    deadline_derive_due(deadline)
    deadline.save(update_fields=["suspended_days", "suspended_since", "due_on", "provisional"])


def deadline_meet(*, deadline: Deadline) -> None:
    deadline.met_at = timezone.now()
    deadline.save(update_fields=["met_at"])


def deadlines_recompute_provisional(*, actor=None) -> int:
    """When an administrator enters a year's calendar, provisional due dates become real ones.

    Each confirmed date is written to its task's history: a due date that moves is a change clerks must
    be able to trace.
    """
    from .history import history_record

    changed = 0
    pending = Deadline.objects.filter(provisional=True, met_at__isnull=True).values_list("pk", flat=True)
    for pk in list(pending):
        with transaction.atomic():
            deadline = (
                Deadline.objects.select_for_update(of=("self",)).select_related("task__case").get(pk=pk)
            )
            before = deadline.due_on
            deadline_derive_due(deadline)
            if deadline.provisional:
                continue
            deadline.save(update_fields=["due_on", "provisional", "suspended_days"])
            task = getattr(deadline, "task", None)
            if task is not None:
                history_record(
                    target=task,
                    action="due_date_confirmed",
                    actor=actor,
                    case=task.case,
                    from_state=task.state,
                    to_state=task.state,
                    data={"provisional_due_on": before.isoformat(), "due_on": deadline.due_on.isoformat()},
                )
            changed += 1
    return changed
