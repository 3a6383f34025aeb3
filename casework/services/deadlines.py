"""Working-day budgets (DESIGN invariant 4): the due date is derived from the budget, its start, the
extensions and the suspension ledger, and stored only for indexing."""

import math
from datetime import date

from django.utils import timezone

from casework import calendar
from casework.models import Case, CaseTask, Deadline, DeadlinePurpose, DeadlineSuspension


def deadline_save(deadline: Deadline, update_fields: list[str]) -> None:
    """Save the deadline's changed fields; a moved due date is copied onto its task in the same
    transaction (`CaseTask.due_on`, the column the department queue's index reads). Every change
    of a due date goes through here (resume, extension, re-dating)."""
    deadline.save(update_fields=update_fields)
    if "due_on" in update_fields and deadline.purpose == DeadlinePurpose.STEP:
        CaseTask.objects.filter(deadline_id=deadline.pk).update(due_on=deadline.due_on)


def deadline_derive_due(deadline: Deadline) -> None:
    """Recompute `due_on`, `suspended_days` and `provisional` from the budget and the ledger (not saved).

    The suspended days are counted again from the ledger every time rather than accumulated, so that a
    suspension that reached into an unknown year is counted exactly once the calendar is entered. Dates into
    a year without a calendar are estimates (`calendar.derive_working_days`), flagged `provisional`.
    """
    closed = (
        [(s.started_on, s.ended_on) for s in deadline.suspensions.all() if s.ended_on] if deadline.pk else []
    )
    budget = deadline.budget_days + deadline.extended_days
    if deadline.calendar_days:
        # A calendar-day budget (法释〔2017〕7号 art. 11) stands still for calendar days, not working days.
        paused = [((b - a).days, False) for a, b in closed]
        derive = calendar.derive_calendar_days
    else:
        paused = [calendar.derive_working_days_between(a, b) for a, b in closed]
        derive = calendar.derive_working_days
    deadline.suspended_days = sum(days for days, _estimated in paused)
    due = derive(deadline.started_on, budget + deadline.suspended_days)
    deadline.due_on = due.date
    deadline.provisional = due.provisional or any(estimated for _days, estimated in paused)
    from .escalation import escalation_rearm  # the ladder hangs on the due date

    escalation_rearm(deadline)


def publicity_end(start: date, days: int) -> calendar.Derived:
    """The last day of a list-exit publicity period (公示) of `days` working days from `start` (Beijing dates);
    provisional (an estimate) where it reaches a year without a calendar. Re-dated when that year is entered
    (services/redating.py). Rule: the rule set's `publicity_days` (SAMR Order 44)."""
    return calendar.derive_working_days(start, days)


def deadline_start(
    *,
    case: Case,
    budget_days: int,
    purpose: str = DeadlinePurpose.STEP,
    started_on: date | None = None,
    calendar_days: bool = False,
) -> Deadline:
    """A clock of `budget_days` from `started_on` (default today, Beijing), in working days or, with
    `calendar_days`, calendar days."""
    deadline = Deadline(
        case=case,
        purpose=purpose,
        budget_days=budget_days,
        started_on=started_on or timezone.localdate(),
        calendar_days=calendar_days,
    )
    deadline_derive_due(deadline)
    from .escalation import escalation_rearm

    escalation_rearm(deadline, fired=set())  # a new clock: no level fired; armed in the row's one insert
    deadline.save()
    return deadline


def deadline_suspend(*, deadline: Deadline, reason: str, note: str = "", on: date | None = None) -> None:
    """Stop the clock (补正, verification, court proceedings) until `deadline_resume`."""
    on = on or timezone.localdate()
    if deadline.is_suspended:
        return
    deadline.suspended_since = on
    deadline.next_escalation_on = None  # nothing climbs while the clock stands still
    deadline.next_escalation_provisional = False
    deadline.save(update_fields=["suspended_since", "next_escalation_on", "next_escalation_provisional"])
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
    # (A calendar-day clock counts the days stood still from the ledger's dates, deadline_derive_due.)
    suspension.save(update_fields=["ended_on", "working_days"])
    deadline.suspended_since = None
    deadline_derive_due(deadline)
    deadline_save(
        deadline,
        [
            "suspended_days",
            "suspended_since",
            "due_on",
            "provisional",
            "next_escalation_on",
            "next_escalation_provisional",
        ],
    )


def deadline_meet(*, deadline: Deadline) -> None:
    deadline.met_at = timezone.now()
    deadline.next_escalation_on = None
    deadline.next_escalation_provisional = False
    deadline.save(update_fields=["met_at", "next_escalation_on", "next_escalation_provisional"])


def deadline_extend(*, deadline: Deadline, days: int) -> None:
    deadline.extended_days += days
    deadline_derive_due(deadline)
    deadline_save(
        deadline,
        [
            "extended_days",
            "due_on",
            "provisional",
            "next_escalation_on",
            "next_escalation_provisional",
        ],
    )


def case_route_step(case: Case) -> str | None:
    """The step whose own clock, counted from filing, is the case's clock, or None for the kind's path.

    A kind's `route_by_record_kind` (docs/rules.md) names a step for cases about records of one kind only:
    an objection to the court list (失信被执行人) is the court's correction review, due 15 calendar days
    after filing (法释〔2017〕7号 art. 11), instead of the credit office's verification in working days.
    """
    if case.objects_to_id is not None:  # an objection against a list exit follows its own flow's steps
        return None
    routes = case.rule_set.case_rules(case.kind).get("route_by_record_kind") or {}
    steps = {routes.get(kind) for kind in case.records.values_list("kind", flat=True)}
    return steps.pop() if len(steps) == 1 else None


def case_deadlines_start(*, case: Case) -> None:
    """The case's two clocks: the legal time limit and the shorter internal service norm, both shown.

    A case on a routed step (`case_route_step`) runs on that step's budget from filing, in its unit, for
    both clocks: the law fixes one period and the office has no shorter promise to make.
    """
    rules = case.rule_set.case_rules(case.kind)
    route = case_route_step(case)
    if route is not None:
        step = rules["steps"][route]
        started = timezone.localtime(case.filed_at).date() if case.filed_at else None
        for purpose in (DeadlinePurpose.LEGAL, DeadlinePurpose.SERVICE):
            deadline_start(
                case=case,
                budget_days=step["budget_days"],
                purpose=purpose,
                started_on=started,
                calendar_days=bool(step.get("calendar_days")),
            )
        return
    legal = rules.get("case_budget_days")
    if legal is None:
        return
    service = rules.get("service_norm_days") or max(1, math.floor(legal * 0.7))
    deadline_start(case=case, budget_days=legal, purpose=DeadlinePurpose.LEGAL)
    deadline_start(case=case, budget_days=service, purpose=DeadlinePurpose.SERVICE)


def _case_clocks(case: Case):
    return case.deadlines.select_for_update().filter(
        purpose__in=[DeadlinePurpose.LEGAL, DeadlinePurpose.SERVICE], met_at__isnull=True
    )


def case_deadlines_suspend(*, case: Case, reason: str, note: str = "") -> None:
    for deadline in _case_clocks(case):
        deadline_suspend(deadline=deadline, reason=reason, note=note)


def case_deadlines_resume(*, case: Case) -> None:
    for deadline in _case_clocks(case):
        deadline_resume(deadline=deadline)


def case_deadlines_extend(*, case: Case, days: int) -> None:
    """An approved extension of a step extends the legal limit of the case with it (not the service norm)."""
    for deadline in _case_clocks(case).filter(purpose=DeadlinePurpose.LEGAL):
        deadline_extend(deadline=deadline, days=days)


def case_deadlines_meet(*, case: Case) -> None:
    for deadline in _case_clocks(case):
        deadline_meet(deadline=deadline)
