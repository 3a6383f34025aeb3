"""Monthly reporting by the 20th (docs/domain.md §9.13): who owes data, who submitted, who is late."""

from datetime import date

from django.db.models import QuerySet

from casework.models import Department, Role, User

from .jurisdiction import jurisdiction_q


def reporting_departments_visible_to(user: User) -> QuerySet[Department]:
    """Departments owing monthly data that the user oversees: a supervisor's jurisdiction, a reviewer's own."""
    from casework.services.reporting import reporting_departments

    departments = reporting_departments()
    if user.role == Role.ADMIN:
        return departments
    if user.role == Role.SUPERVISOR:
        return departments.filter(jurisdiction_q(user, "division"))
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
