"""Cases a user may see: their own subjects' (subject users), their departments' (reviewers: a task held or
the receiving office), their jurisdiction's (supervisors), all (administrators).

A third party's objection against a list exit (docs/domain.md §9.5) belongs to whoever filed it, not to the
listed subject it is about: the objector follows it; the listed subject's users do not see it (they learn
that an objection exists and its result on their own exit case, never who objected or why)."""

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from casework.models import Case, CaseKind, CaseState, CaseTask, Deadline, DeadlinePurpose, Role, User

from .jurisdiction import jurisdiction_q


class ProbedExists(Exists):
    """EXISTS that PostgreSQL checks row by row with an index probe, never by hashing every matching row.

    Under an OR, PostgreSQL turns a correlated EXISTS into a hash of the subquery's whole result, sized for
    the whole table because it plans the filter without the page's LIMIT: for a reviewer, a hash of every task
    their department ever held (50k at 1M cases: 150 ms) to fill a 50-row page. An `OFFSET 0` keeps the
    subquery as it is (the planner does not simplify an EXISTS with an offset), so each case the page walks
    costs one probe of `casetask_department_case` (issue 13: ~1,000 probes, a few ms).
    """

    def as_postgresql(self, compiler, connection, template=None, **extra_context):
        sql, params = self.as_sql(compiler, connection, template=template, **extra_context)
        assert sql.endswith(")"), sql
        return f"{sql[:-1]} OFFSET 0)", params


def cases_visible_to(user: User) -> QuerySet[Case]:
    cases = Case.objects.select_related("subject", "receiving_office", "rule_set")
    if user.role == Role.ADMIN:
        return cases
    if user.role == Role.SUBJECT:
        return cases.filter(subject_cases_q(user))
    if user.role == Role.SUPERVISOR:
        return cases.filter(jurisdiction_q(user, "subject__division"))
    if user.role != Role.REVIEWER:
        return cases.none()
    departments = user.departments.values("pk")
    # EXISTS, not a join: a join to the tasks repeats a case per task and needed a DISTINCT over every
    # column (at 1M cases, a 450 MB sort on disk); EXISTS keeps one row per case and the filed_at order.
    held = CaseTask.objects.filter(case_id=OuterRef("pk"), department_id__in=departments)
    return cases.filter(
        Q(receiving_office_id__in=departments)
        # 复核: the office that received the objection follows the review the office above decides.
        | Q(review_of__receiving_office_id__in=departments)
        | ProbedExists(held)
    )


def third_party_objections_q() -> Q:
    """Objections against a list exit during its publicity (anyone may file one)."""
    return Q(kind=CaseKind.OBJECTION, objects_to__isnull=False)


def subject_cases_q(user: User) -> Q:
    """A subject user's cases: the represented subjects' own, without third parties' objections against
    them, and every objection the user filed against someone's exit. Subqueries, not joins: no duplicates."""
    represented = Q(subject__in=user.subjects.values("pk")) & ~third_party_objections_q()
    return represented | (third_party_objections_q() & Q(filed_by=user))


def exits_in_publicity(*, number: str = "", code: str = "") -> QuerySet[Case]:
    """List exits whose intended removal is under publicity (公示) today, by case number or by the listed
    subject's identifier (both already normalised). Publicity is public by nature: anyone signed in may find
    them to object (docs/domain.md §9.5); nothing but what the publicity shows is read from them."""
    if not (number or code):
        return Case.objects.none()
    cases = Case.objects.filter(
        kind=CaseKind.LIST_EXIT,
        state=CaseState.PUBLICITY,
        publicity_until__gte=timezone.localdate(),
    ).select_related("subject", "receiving_office")
    cases = cases.filter(number=number) if number else cases.filter(subject__code=code)
    return cases.prefetch_related("records__provider").order_by("publicity_until", "number")


def is_third_party_objection(case: Case) -> bool:
    return case.kind == CaseKind.OBJECTION and case.objects_to_id is not None


def with_tasks_and_records(cases: QuerySet[Case]) -> QuerySet[Case]:
    """What a case's representation needs, in four queries whatever the number of cases (the linked 复核
    cases: the objection a review reviews, joined; the review of an objection, prefetched).

    The tasks do not join their case again: the prefetch sets `task.case` to the case it hangs on.
    """
    tasks = CaseTask.objects.select_related("department", "deadline", "assignee", "flow_task")
    return cases.select_related("review_of").prefetch_related(
        Prefetch("tasks", queryset=tasks),
        "records",
        "deadlines",
        Prefetch("reviews", queryset=Case.objects.only("id", "number", "review_of_id", "state")),
    )


def for_case_list(cases: QuerySet[Case]) -> QuerySet[Case]:
    """`with_tasks_and_records` for a page of the case list, reading no more than the list shows: the rule
    set's version but not its whole rule data, the case clocks but not every step's. The tasks are not
    prefetched: `attach_task_rows` reads them for the page once it is cut. Same number of queries whatever
    the number of cases."""
    # to_attr: plain lists; a prefetch into the related manager builds a queryset per case (~1 ms each).
    return (
        cases.defer("rule_set__data")
        .select_related("review_of")
        .prefetch_related(
            # 复核: the review of an objection, listed by number (the objection a review reviews is joined).
            Prefetch(
                "reviews", queryset=Case.objects.only("id", "number", "review_of_id"), to_attr="page_reviews"
            ),
            Prefetch(
                "records", to_attr="page_records"
            ),  # whole rows: a state-machine model loads them anyway
            Prefetch(
                "deadlines",
                queryset=Deadline.objects.exclude(purpose=DeadlinePurpose.STEP),
                to_attr="page_clocks",
            ),
        )
    )


# What the task representation shows (`TaskOutSerializer.row_fields`), read as plain values.
TASK_ROW_FIELDS = (
    "case_id",
    "public_id",
    "step",
    "department__code",
    "state",
    "assignee__username",
    "deadline__due_on",
    "deadline__provisional",
    "deadline__suspended_since",
    "decision",
    "flow_task_id",
    "flow_task__flow_task",
)


def attach_task_rows(cases: list[Case]) -> list[Case]:
    """Give each case of a page its tasks as plain rows of `TASK_ROW_FIELDS` (`case.page_task_rows`, in the
    tasks' own order), in one query; returns `cases`.

    Rows, not model instances: a page of 50 cases holds ~135 tasks, and building a task with its department,
    deadline, assignee and viewflow task (select_related) cost ~5 ms a page against ~1 ms for the values
    (issue 13). `flow_task__flow_task` is the flow node (viewflow's field converts the stored reference).
    """
    by_case: dict[int, list[dict]] = {case.pk: [] for case in cases}
    for case in cases:
        case.page_task_rows = by_case[case.pk]
    if by_case:
        for row in CaseTask.objects.filter(case_id__in=list(by_case)).values(*TASK_ROW_FIELDS):
            by_case[row["case_id"]].append(row)
    return cases


def cases_with_provisional_dates_for(user: User) -> QuerySet[Case]:
    """Open cases in the user's scope whose due dates reach a year with no working-day calendar yet."""
    provisional = Deadline.objects.filter(provisional=True, met_at__isnull=True).values("case_id")
    return cases_visible_to(user).filter(pk__in=provisional).order_by("number")
