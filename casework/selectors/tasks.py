"""Tasks: a department's queue, and the tasks a user may open, supervise and reassign.

Administrators see every task (issue 9: their landing page, the overdue board, was empty and reassigning
answered 404 because this scope gave them nothing).
"""

from datetime import date

from django.db.models import Exists, OuterRef, Q, QuerySet

from casework.models import (
    ACTIONABLE_TASK_STATES,
    CaseTask,
    DeadlineSuspension,
    EscalationEvent,
    Role,
    TaskState,
    User,
)

from .jurisdiction import jurisdiction_q

QUEUE_ORDER = ("due_on", "created_at", "id")


def task_queue_for(user: User, *, states=ACTIONABLE_TASK_STATES) -> QuerySet[CaseTask]:
    """The caller's departments' work, soonest due first (a waiting task's clock is stopped: not listed).

    Read from the task row alone — department, state and the copied due date — so PostgreSQL walks the
    partial index `casetask_queue` in order and stops at the page's end (issue 13). The departments are
    given as a list of ids, not a subquery: with one department the planner sees `department_id = N` and
    the index order serves the sort. The ids are the user object's memo (`User.department_ids`), read once
    for the request that the policies also ask. `states` must lie within the index's (open, claimed).
    """
    departments = sorted(user.department_ids())
    return (
        CaseTask.objects.filter(department_id__in=departments, state__in=states)
        .select_related("case", "department", "deadline", "assignee")
        .order_by(*QUEUE_ORDER)
    )


def tasks_visible_to(user: User) -> QuerySet[CaseTask]:
    """Reviewers see their departments' tasks; supervisors every task of a department in their jurisdiction;
    administrators every task; subject users none (they follow their cases instead)."""
    tasks = CaseTask.objects.select_related("case", "department", "deadline", "assignee")
    if user.role == Role.ADMIN:
        return tasks
    if user.role == Role.REVIEWER:
        return tasks.filter(department__in=user.departments.all())
    if user.role == Role.SUPERVISOR:
        return tasks.filter(jurisdiction_q(user, "department__division"))
    return tasks.none()


def task_get_for(user: User, public_id) -> CaseTask | None:
    return tasks_visible_to(user).filter(public_id=public_id).first()


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


def escalations_visible_to(user: User) -> QuerySet[EscalationEvent]:
    """Escalation levels booked to departments the user may read (the department that held the task when
    the level fired, not the one holding it now)."""
    events = EscalationEvent.objects.filter(department__isnull=False)
    if user.role == Role.ADMIN:
        return events
    if user.role == Role.SUPERVISOR:
        return events.filter(jurisdiction_q(user, "department__division"))
    if user.role == Role.REVIEWER:
        return events.filter(department__in=user.departments.all())
    return events.none()
