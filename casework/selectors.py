"""Reads, always scoped by the asking user's role (DESIGN: selectors).

- a subject's user sees the subjects they represent and everything about them;
- a reviewer sees their departments' queues, and the cases, records and sanctions those touch;
- a supervisor reads everything in their jurisdiction (their departments' divisions, by level);
- an administrator sees everything.
Anything outside the scope is simply absent, which the API answers as 404.
"""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from casework.models import (
    ACTIONABLE_TASK_STATES,
    Case,
    CaseTask,
    CreditRecord,
    DeadlineSuspension,
    Department,
    EscalationEvent,
    HistoryEvent,
    Role,
    Sanction,
    SanctionState,
    Subject,
    TaskState,
    User,
    jurisdiction_prefix,
)


def _jurisdiction_q(user: User, field: str) -> Q:
    q = Q(pk__in=[])
    for division, level in user.departments.values_list("division", "level"):
        q |= Q(**{f"{field}__startswith": jurisdiction_prefix(division, level)})
    return q


def subjects_visible_to(user: User) -> QuerySet[Subject]:
    subjects = Subject.objects.all()
    if user.role == Role.ADMIN:
        return subjects
    if user.role == Role.SUBJECT:
        return subjects.filter(representatives=user)
    if user.role == Role.SUPERVISOR:
        return subjects.filter(_jurisdiction_q(user, "division"))
    departments = user.departments.all()
    return subjects.filter(
        Q(records__provider__in=departments)
        | Q(records__sanctions__implementer__in=departments)
        | Q(cases__tasks__department__in=departments)
        | Q(division__in=departments.values("division"))
    ).distinct()


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("subject", "receiving_office", "rule_set")
    if user.role == Role.ADMIN:
        return cases
    if user.role == Role.SUBJECT:
        return cases.filter(subject__representatives=user)
    if user.role == Role.SUPERVISOR:
        return cases.filter(_jurisdiction_q(user, "subject__division"))
    departments = user.departments.all()
    return cases.filter(Q(tasks__department__in=departments) | Q(receiving_office__in=departments)).distinct()


def with_tasks_and_records(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case's representation needs, in three queries whatever the number of cases."""
    tasks = CaseTask.objects.select_related("case", "department", "deadline", "assignee", "flow_task")
    return cases.prefetch_related(Prefetch("tasks", queryset=tasks), "records", "deadlines")


def records_visible_to(user: User) -> QuerySet[CreditRecord]:
    records = CreditRecord.objects.select_related("subject", "provider")
    if user.role == Role.ADMIN:
        return records
    if user.role == Role.REVIEWER:
        departments = user.departments.all()
        return records.filter(
            Q(provider__in=departments)
            | Q(sanctions__implementer__in=departments)
            | Q(cases__tasks__department__in=departments)
            | Q(cases__receiving_office__in=departments)
        ).distinct()
    return records.filter(subject__in=subjects_visible_to(user))


def sanctions_visible_to(user: User) -> QuerySet[Sanction]:
    sanctions = Sanction.objects.select_related("record", "implementer")
    if user.role == Role.ADMIN:
        return sanctions
    if user.role == Role.REVIEWER:
        departments = user.departments.all()
        return sanctions.filter(
            Q(implementer__in=departments) | Q(record__in=records_visible_to(user))
        ).distinct()
    return sanctions.filter(record__subject__in=subjects_visible_to(user))


def task_queue_for(user: User, *, states=ACTIONABLE_TASK_STATES) -> QuerySet[CaseTask]:
    """The caller's departments' work, soonest due first (a waiting task's clock is stopped: not listed)."""
    return (
        CaseTask.objects.filter(department__in=user.departments.all(), state__in=states)
        .select_related("case", "department", "deadline", "assignee")
        .order_by("deadline__due_on", "created_at", "id")
    )


def tasks_visible_to(user: User) -> QuerySet[CaseTask]:
    """Reviewers see their departments' tasks; supervisors every task of a department in their jurisdiction."""
    tasks = CaseTask.objects.select_related("case", "department", "deadline", "assignee")
    if user.role == Role.REVIEWER:
        return tasks.filter(department__in=user.departments.all())
    if user.role == Role.SUPERVISOR:
        return tasks.filter(_jurisdiction_q(user, "department__division"))
    return tasks.none()


def escalations_visible_to(user: User) -> QuerySet[EscalationEvent]:
    """Escalation levels booked to departments the user may read (the department that held the task when
    the level fired, not the one holding it now)."""
    events = EscalationEvent.objects.filter(department__isnull=False)
    if user.role == Role.ADMIN:
        return events
    if user.role == Role.SUPERVISOR:
        return events.filter(_jurisdiction_q(user, "department__division"))
    if user.role == Role.REVIEWER:
        return events.filter(department__in=user.departments.all())
    return events.none()


def task_get_for(user: User, public_id) -> CaseTask | None:
    return tasks_visible_to(user).filter(public_id=public_id).first()


def history_of(obj) -> QuerySet[HistoryEvent]:
    from casework.services.history import stream_of

    if isinstance(obj, Case):
        return obj.history.select_related("actor").order_by("id")
    return HistoryEvent.objects.filter(stream=stream_of(obj)).select_related("actor").order_by("seq")


def departments_visible_to(user: User) -> QuerySet[Department]:
    return Department.objects.select_related("parent")


def sanction_state_on(sanction: Sanction, day) -> str | None:
    """The sanction's state at the end of `day` (a Beijing date), from its history; None before its effective
    date (docs/domain.md §9.12: a measure binds from its effective date, not from the day its row was written).
    For the whole day's answer (in force at any moment, the changes) see `sanction_on_day`.
    """
    return sanction_on_day(sanction, day).state_at_end


def task_overdue_q(day: date) -> Q:
    """THE definition of "overdue" (issue 11), shared by the overdue board, its API, the workspace filter and
    the monthly report: a task is overdue at the end of Beijing day `day` when it had been opened by then,
    its due date lies before `day`, it was neither finished by the end of `day` nor cancelled, and its clock
    was running — a clock paused on `day` (补正, verification, court) is on time, whatever its stored due date.
    """
    paused = DeadlineSuspension.objects.filter(
        Q(ended_on__isnull=True) | Q(ended_on__gt=day),
        deadline_id=OuterRef("deadline_id"),
        started_on__lte=day,
    )
    return (
        Q(created_at__date__lte=day, deadline__due_on__lt=day)
        & (Q(completed_at__isnull=True) | Q(completed_at__date__gt=day))
        & ~Q(state=TaskState.CANCELLED)
        & ~Exists(paused)
    )


def tasks_overdue_for(user: User, *, today) -> QuerySet[CaseTask]:
    """The supervisors' overdue board: late, unfinished work in their jurisdiction, the latest first due."""
    return (
        tasks_visible_to(user)
        .filter(task_overdue_q(today), state__in=ACTIONABLE_TASK_STATES)
        .prefetch_related("deadline__escalations")
        .order_by("deadline__due_on", "id")
    )


def cases_with_provisional_dates_for(user: User) -> QuerySet[Case]:
    """Open cases in the user's scope whose due dates reach a year with no working-day calendar yet."""
    return (
        cases_visible_to(user)
        .filter(deadlines__provisional=True, deadlines__met_at__isnull=True)
        .distinct()
        .order_by("number")
    )


# -- Day D (docs/domain.md §9.12): "was this measure in force on day D", from history -----------

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class SanctionDay:
    """The whole day's answer for one sanction on one Beijing calendar day.

    `in_force`: in force at any moment of the day (from 00:00 to 24:00 Beijing time); `state_at_start` and
    `state_at_end`: the state at 00:00 and at 24:00 (None: not binding yet — before its effective date);
    `changes`: the history events of that day that changed its state, in order.
    """

    sanction: Sanction
    on: date
    in_force: bool
    state_at_start: str | None
    state_at_end: str | None
    changes: list[HistoryEvent]


def beijing_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[00:00, 24:00) of `day` in Beijing time, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=BEIJING)
    return start, start + timedelta(days=1)


def sanction_effective_from(sanction: Sanction) -> date:
    """The date the measure binds from: its own, or for rows without one its record's decision date."""
    return sanction.effective_from or sanction.record.decided_on


def _sanction_day(sanction: Sanction, day: date, events: list[HistoryEvent]) -> SanctionDay:
    """`events`: the stream's events before the end of `day`, and always its first event (seq 1)."""
    start, end = beijing_day_bounds(day)
    effective = sanction_effective_from(sanction)
    if effective > day:
        return SanctionDay(sanction, day, False, None, None, [])
    before = [e for e in events if e.at < start]
    during = [e for e in events if start <= e.at < end]
    if before:
        state_at_start = before[-1].to_state
    elif events:
        # Entered after the day began, or later still, but binding since its effective date (a back-dated
        # entry): until its first recorded change it was in the state it was entered in.
        state_at_start = events[0].to_state
    else:  # no history at all (never the case for rows written by the services)
        state_at_start = SanctionState.ACTIVE
    changes = [e for e in during if e.from_state and e.from_state != e.to_state]
    state_at_end = changes[-1].to_state if changes else state_at_start
    in_force = state_at_start == SanctionState.ACTIVE or any(
        e.to_state == SanctionState.ACTIVE for e in changes
    )
    return SanctionDay(sanction, day, in_force, state_at_start, state_at_end, changes)


def _events_until(sanctions: list[Sanction], end: datetime) -> dict[str, list[HistoryEvent]]:
    from casework.services.history import stream_of

    streams: dict[str, list[HistoryEvent]] = {stream_of(s): [] for s in sanctions}
    for event in (
        HistoryEvent.objects.filter(Q(at__lt=end) | Q(seq=1), stream__in=list(streams))
        .select_related("actor")
        .order_by("stream", "seq")
    ):
        streams[event.stream].append(event)
    return streams


def sanction_on_day(sanction: Sanction, day: date) -> SanctionDay:
    """Day D for one sanction (see `SanctionDay`); history only, never the current row's state."""
    from casework.services.history import stream_of

    events = _events_until([sanction], beijing_day_bounds(day)[1])[stream_of(sanction)]
    return _sanction_day(sanction, day, events)


def subject_sanctions_on_day(user: User, subject: Subject, day: date) -> list[SanctionDay]:
    """Which measures bound `subject` on `day`: every sanction visible to `user` in force at any moment of
    the day, with its changes during the day; two queries whatever the number of sanctions."""
    from casework.services.history import stream_of

    sanctions = list(
        sanctions_visible_to(user)
        .filter(record__subject=subject)
        .select_related("record", "implementer")
        .order_by("id")
    )
    events = _events_until(sanctions, beijing_day_bounds(day)[1])
    answers = [_sanction_day(s, day, events[stream_of(s)]) for s in sanctions]
    return [a for a in answers if a.in_force]


# -- Monthly reporting by the 20th (docs/domain.md §9.13) ---------------------------------------


def reporting_departments_visible_to(user: User) -> QuerySet[Department]:
    """Departments owing monthly data that the user oversees: a supervisor's jurisdiction, a reviewer's own."""
    from casework.services.reporting import reporting_departments

    departments = reporting_departments()
    if user.role == Role.ADMIN:
        return departments
    if user.role == Role.SUPERVISOR:
        return departments.filter(_jurisdiction_q(user, "division"))
    return departments.filter(pk__in=user.departments.all())


def monthly_submissions_for(user: User, *, month: date, today: date) -> list[dict]:
    """Per reporting department in the user's scope: its submission for `month` (any day of it) and its
    standing on `today` (a Beijing date).

    Each row: {department, month, due_on, status, submission, reminded_at, escalated_at}; `status` is
    `submitted` (by the 20th), `submitted_late`, `late` (nothing yet and the 20th passed) or `due`.
    Late rows first, then by department code.
    """
    from django.utils import timezone

    from casework.models import MonthlySubmission
    from casework.services.reporting import due_on_for, month_start

    month = month_start(month)
    due = due_on_for(month)
    departments = reporting_departments_visible_to(user).order_by("code")
    submissions = {
        s.department_id: s
        for s in MonthlySubmission.objects.filter(month=month, department__in=departments).select_related(
            "submitted_by"
        )
    }
    rows = []
    for department in departments:
        submission = submissions.get(department.pk)
        if submission is not None and submission.submitted_at is not None:
            on_time = timezone.localdate(submission.submitted_at) <= due
            status = "submitted" if on_time else "submitted_late"
        else:
            status = "late" if today > due else "due"
        rows.append(
            {
                "department": department,
                "month": month,
                "due_on": due,
                "status": status,
                "submission": submission,
                "reminded_at": submission.reminded_at if submission else None,
                "escalated_at": submission.escalated_at if submission else None,
            }
        )
    rows.sort(key=lambda r: (r["status"] not in ("late", "submitted_late"), r["department"].code))
    return rows
