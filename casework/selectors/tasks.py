"""Tasks: a department's queue, and the tasks a user may open, supervise and reassign.

Administrators see every task (issue 9: their landing page, the overdue board, was empty and reassigning
answered 404 because this scope gave them nothing).
"""

from django.db.models import QuerySet

from casework.models import ACTIONABLE_TASK_STATES, CaseTask, Role, User

from .jurisdiction import jurisdiction_q


def task_queue_for(user: User, *, states=ACTIONABLE_TASK_STATES) -> QuerySet[CaseTask]:
    """The caller's departments' work, soonest due first (a waiting task's clock is stopped: not listed)."""
    return (
        CaseTask.objects.filter(department__in=user.departments.all(), state__in=states)
        .select_related("case", "department", "deadline", "assignee")
        .order_by("deadline__due_on", "created_at", "id")
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


def tasks_overdue_for(user: User, *, today) -> QuerySet[CaseTask]:
    """The overdue board: late, unfinished work in the user's scope (every task for an administrator),
    the longest overdue first."""
    return (
        tasks_visible_to(user)
        .filter(state__in=ACTIONABLE_TASK_STATES, deadline__due_on__lt=today)
        .prefetch_related("deadline__escalations")
        .order_by("deadline__due_on", "id")
    )
