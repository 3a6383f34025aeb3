"""Monthly reporting by the 20th (docs/domain.md §9.13, Qujiang plan).

Every department that supplies data (all but the credit offices, which receive it) submits its month's data
by the 20th of the following month. The daily sweep reminds a department that has not submitted from the
15th [product default], and escalates to its head and the credit offices over it from the 21st; each fires
once per department and month (a timestamp set under the row's lock), with a history event and messages
through the outbox.
"""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from casework import events
from casework.models import (
    Department,
    DepartmentKind,
    MonthlySubmission,
    Role,
    User,
)
from casework.selectors.jurisdiction import division_within

from .eligibility import add_months
from .history import history_record

DUE_DAY = 20  # Qujiang plan: 「每月20日前报送上月数据」
REMIND_FROM_DAY = 15  # [product default] five days' notice before the 20th


def reporting_departments():
    """Departments that owe a monthly submission: every supplier of data, not the credit offices."""
    return Department.objects.exclude(kind=DepartmentKind.CREDIT_OFFICE)


def month_start(day: date) -> date:
    return day.replace(day=1)


def due_on_for(month: date) -> date:
    """The last day to submit the data of `month` (its first day): the 20th of the next month."""
    return add_months(month_start(month), 1).replace(day=DUE_DAY)


def _obligation(department: Department, month: date) -> MonthlySubmission:
    """The (department, month) row, created if missing, locked; a racing creator loses to the unique pair."""
    month = month_start(month)
    try:
        with transaction.atomic():
            MonthlySubmission.objects.get_or_create(
                department=department, month=month, defaults={"due_on": due_on_for(month)}
            )
    except IntegrityError:
        pass
    return MonthlySubmission.objects.select_for_update().get(department=department, month=month)


@transaction.atomic
def monthly_submission_submit(
    *, department: Department, month: date, actor: User, covers: str, records: int = 0
) -> MonthlySubmission:
    """Record `department`'s submission of its data for `month` (any day of it; the first is stored).

    `covers`: what the submission contains (free text, e.g. "行政处罚 42 条, 红黑名单 3 条"); `records`: how
    many records it holds. Errors (ValidationError, per field): a month not yet over, a credit office, an
    actor who is not a member of the department (administrators excepted), a second submission.
    """
    errors: dict[str, list] = {}
    month = month_start(month)
    if month >= month_start(timezone.localdate()):
        errors["month"] = [_("A month can be submitted only once it is over.")]
    if department.kind == DepartmentKind.CREDIT_OFFICE:
        errors["department"] = [_("Credit offices receive the monthly data; they do not submit it.")]
    elif actor.role != Role.ADMIN and not actor.departments.filter(pk=department.pk).exists():
        errors["department"] = [_("You can submit only for your own department.")]
    if not (covers or "").strip():
        errors["covers"] = [_("Say what the submission covers.")]
    if errors:
        raise ValidationError(errors)
    submission = _obligation(department, month)
    if submission.submitted:
        raise ValidationError(
            {
                "month": [
                    _("%(department)s already submitted its data for %(month)s.")
                    % {"department": department.name, "month": f"{month:%Y-%m}"}
                ]
            }
        )
    submission.submitted_at, submission.submitted_by = timezone.now(), actor
    submission.covers, submission.records = covers.strip(), records
    submission.save(update_fields=["submitted_at", "submitted_by", "covers", "records"])
    late = timezone.localdate() > submission.due_on
    history_record(
        target=submission,
        action="submitted",
        actor=actor,
        to_state="late" if late else "on_time",
        note=submission.covers,
        data={"department": department.code, "month": f"{month:%Y-%m}", "records": records},
    )
    return submission


def _context(submission: MonthlySubmission) -> dict:
    return {
        "department": submission.department.name,
        "month": f"{submission.month:%Y-%m}",
        "due_on": submission.due_on.isoformat(),
    }


def _offices_over(department: Department) -> list[User]:
    """Supervisors of the credit offices whose jurisdiction contains the department."""
    offices = [
        office.pk
        for office in Department.objects.filter(kind=DepartmentKind.CREDIT_OFFICE)
        if division_within(department.division, of_division=office.division, level=office.level)
    ]
    return list(
        User.objects.filter(role=Role.SUPERVISOR, is_active=True, departments__in=offices)
        .distinct()
        .order_by("id")
    )


def _fire(submission: MonthlySubmission, level: str) -> None:
    department = submission.department
    members = department.members.filter(is_active=True, role__in=(Role.REVIEWER, Role.SUPERVISOR))
    if level == "reminded":
        recipients = list(members.order_by("id"))
        event: type[events.MonthlySubmissionEvent] = events.MonthlySubmissionReminder
    else:
        heads = list(members.filter(role=Role.SUPERVISOR).order_by("id"))
        recipients = heads + [u for u in _offices_over(department) if u not in heads]
        event = events.MonthlySubmissionLate
    history_record(target=submission, action=level, actor=None, to_state=level, data=_context(submission))
    events.publish(
        event(
            department=department.name,
            month=f"{submission.month:%Y-%m}",
            due_on=submission.due_on,
            recipient_ids=tuple(u.pk for u in recipients),
        )
    )


def monthly_reporting_sweep(*, today: date | None = None) -> int:
    """Remind (from the 15th) and escalate (after the 20th) for last month's data; returns how many fired.

    Idempotent: each department and month is reminded once and escalated once, whatever the number of runs;
    an escalation makes a reminder that was never sent pointless, so none is sent late.
    """
    today = today or timezone.localdate()
    month = add_months(month_start(today), -1)
    if today.day < REMIND_FROM_DAY:
        return 0
    level = "escalated" if today > due_on_for(month) else "reminded"
    fired = 0
    for department in reporting_departments().order_by("pk"):
        with transaction.atomic():
            submission = _obligation(department, month)
            if submission.submitted or getattr(submission, f"{level}_at") is not None:
                continue
            setattr(submission, f"{level}_at", timezone.now())
            submission.save(update_fields=[f"{level}_at"])
            _fire(submission, level)
            fired += 1
    return fired
