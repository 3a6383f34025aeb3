"""Who works a task: reassignment within a department or, by the credit office, to another department.

The ladder of docs/domain.md §5 ends with the credit office supervising (督办) a late task; its remedy is to
reassign it. Who may move a task where is `casework.policies.ensure_may_reassign`: a reviewer to a colleague
of the same department; a department head within the department; a credit office's supervisor (or an
administrator) across departments, within the jurisdiction, to a department that can hold the step.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from casework import events, policies
from casework.exceptions import Conflict
from casework.models import CaseTask, Department, Role, TaskState, User

from .history import history_record
from .transitions import lock


@transaction.atomic
def task_reassign(
    *,
    task: CaseTask,
    actor: User,
    reason: str,
    department: Department | None = None,
    assignee: User | None = None,
) -> CaseTask:
    lock(task.case)
    task = (
        CaseTask.objects.select_for_update(of=("self",))
        .select_related("case", "deadline", "department")
        .get(pk=task.pk)
    )
    if task.is_finished:
        raise Conflict(_("This task is already completed."), code="already_completed")
    target = department or task.department
    # Under the locks: who may move this task where is decided on the row as it is now (issue 12: the same
    # rule on the web form and in the API — jurisdiction, and a department that can hold the step).
    policies.ensure_may_reassign(actor, task, target)
    errors: dict[str, list] = {}
    if not (reason or "").strip():
        errors["reason"] = [_("Say why the task is reassigned; it is recorded in the case history.")]
    if assignee is not None and not (
        assignee.is_active
        and assignee.role == Role.REVIEWER
        and assignee.departments.filter(pk=target.pk).exists()
    ):
        errors["assignee"] = [
            _("%(name)s is not a reviewer of %(department)s.")
            % {"name": assignee.label(), "department": target.name}
        ]
    if department is None and assignee is None:
        errors["department"] = [_("Choose another department or another reviewer.")]
    if errors:
        raise ValidationError(errors)
    before = {
        "department": task.department.code,
        "assignee": task.assignee.username if task.assignee is not None else None,
    }
    task.department, task.assignee = target, assignee
    if task.state != TaskState.WAITING:
        task.state = TaskState.CLAIMED if assignee else TaskState.OPEN
    task.save(update_fields=["department", "assignee", "state"])
    history_record(
        target=task,
        action="reassigned",
        actor=actor,
        case=task.case,
        from_state=task.state,
        to_state=task.state,
        note=reason,
        data={
            "before": before,
            "after": {"department": target.code, "assignee": assignee.username if assignee else None},
        },
    )
    recipients = (
        [assignee] if assignee else target.members.filter(role=Role.REVIEWER, is_active=True).order_by("id")
    )
    events.publish(
        events.TaskReassigned(
            case_id=task.case_id,
            number=task.case.number,
            step=task.step,
            department=target.name,
            assignee=f" ({assignee.label()})" if assignee else "",
            due_on=task.deadline.due_on,
            reason=reason,
            recipient_ids=tuple(user.pk for user in recipients),
        )
    )
    return task
