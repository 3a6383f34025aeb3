"""Cases a user may see: their own subjects' (subject users), their departments' (reviewers: a task held or
the receiving office), their jurisdiction's (supervisors), all (administrators)."""

from django.db.models import Prefetch, Q, QuerySet

from casework.models import Case, CaseTask, Role, User

from .jurisdiction import jurisdiction_q


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("subject", "receiving_office", "rule_set")
    if user.role == Role.ADMIN:
        return cases
    if user.role == Role.SUBJECT:
        return cases.filter(subject__representatives=user)
    if user.role == Role.SUPERVISOR:
        return cases.filter(jurisdiction_q(user, "subject__division"))
    if user.role != Role.REVIEWER:
        return cases.none()
    departments = user.departments.all()
    return cases.filter(
        Q(tasks__department__in=departments)
        | Q(receiving_office__in=departments)
        # 复核: the office that received the objection follows the review the office above decides.
        | Q(review_of__receiving_office__in=departments)
    ).distinct()


def with_tasks_and_records(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case's representation needs, in four queries whatever the number of cases (the linked 复核
    cases: the objection a review reviews, the review of an objection)."""
    tasks = CaseTask.objects.select_related("case", "department", "deadline", "assignee", "flow_task")
    return cases.select_related("review_of").prefetch_related(
        Prefetch("tasks", queryset=tasks),
        "records",
        "deadlines",
        Prefetch("reviews", queryset=Case.objects.only("id", "number", "review_of_id", "state")),
    )


def cases_with_provisional_dates_for(user: User) -> QuerySet[Case]:
    """Open cases in the user's scope whose due dates reach a year with no working-day calendar yet."""
    return (
        cases_visible_to(user)
        .filter(deadlines__provisional=True, deadlines__met_at__isnull=True)
        .distinct()
        .order_by("number")
    )
