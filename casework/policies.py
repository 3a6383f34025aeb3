"""Who may do what to which object: every authorization rule of the domain, in one module (issue 9 item 3).

Two kinds of functions, one rule each:

- `may_*(user, …) -> bool` answer the question. Interfaces (API views, web pages) ask them early to answer
  403 before parsing a form, or to hide a button; they never decide on their own.
- `ensure_*(user, …)` raise when the answer is no. **Services call them; they are authoritative**: whatever the
  interface, a change that passes a service passed its policy. They raise `PermissionDenied` (403: you may
  see this but not do that), `NotVisible` (404: outside your scope, its existence is not revealed) or a
  field `ValidationError` (400) where the refusal is about what was typed, e.g. a department that cannot
  hold the step.

What a user may *see* is the selectors' business (`casework.selectors`, with the one definition of a
supervisor's jurisdiction); a policy that needs "can see" asks a selector. Plain functions rather than the
`rules` library: see docs/adr/0004-policies-and-selectors.md.

Roles (docs/domain.md, "who uses it"):
- a subject's user acts for the subjects they represent;
- a reviewer works their departments' tasks and enters their departments' records and sanctions;
- a supervisor oversees their jurisdiction: reads everything in it, extends time limits, reassigns (a
  department head within the department; the credit office across departments), keeps dossiers;
- an administrator sees and may act on everything — except deciding a step, which stays with a reviewer of
  the department the step belongs to (谁认定谁修复: a decision is issued in that department's name).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from casework.exceptions import NotVisible
from casework.models import (
    Case,
    CaseTask,
    CreditRecord,
    Department,
    DepartmentKind,
    Role,
    Sanction,
    Subject,
    User,
)
from casework.selectors import (
    cases_visible_to,
    departments_in_jurisdiction,
    subjects_visible_to,
    tasks_visible_to,
)

# -- roles ------------------------------------------------------------------------------------------------


def is_admin(user: User) -> bool:
    return user.is_authenticated and user.role == Role.ADMIN


def _member_of(user: User, department_id: int) -> bool:
    """Whether `user` belongs to the department; the user's department ids are read once per user object
    (a request's user asks several times in one transition) and forgotten when its memberships change
    (`User.forget_departments`, connected to the m2m signal)."""
    return department_id in user.department_ids()


def may_use_portal(user: User) -> bool:
    """The portal (信用主体) is for subjects' users."""
    return user.is_authenticated and user.role == Role.SUBJECT


def may_use_workspace(user: User) -> bool:
    """The workspace (经办人) is for reviewers: it shows their departments' queues."""
    return user.is_authenticated and user.role == Role.REVIEWER


def may_supervise(user: User) -> bool:
    """The overdue board, provisional dates, the delivery log, dashboards and reports (监督)."""
    return user.is_authenticated and user.role in (Role.SUPERVISOR, Role.ADMIN)


def may_write_registry(user: User) -> bool:
    """Subjects, records, sanctions and imports come from departments' staff or administrators, never from
    subjects; supervisors only read and reassign."""
    return user.is_authenticated and user.role in (Role.ADMIN, Role.REVIEWER)


def may_administer(user: User) -> bool:
    """Departments, user accounts and push endpoints."""
    return is_admin(user)


def ensure_may_administer(user: User) -> None:
    if not may_administer(user):
        raise PermissionDenied(_("Only an administrator may do this."))


# -- the registry -----------------------------------------------------------------------------------------


def may_enter_record_for(user: User, provider: Department) -> bool:
    """A record is entered by its provider (认定单位): a reviewer of that department, or an administrator."""
    if is_admin(user):
        return True
    return user.is_authenticated and user.role == Role.REVIEWER and _member_of(user, provider.pk)


def ensure_may_enter_record_for(user: User, provider: Department) -> None:
    if not may_write_registry(user):
        raise PermissionDenied(_("Only departments' staff enter credit records."))
    if not may_enter_record_for(user, provider):
        raise ValidationError({"provider": [_("You can enter records only for your own department.")]})


def may_add_sanction(user: User, record: CreditRecord) -> bool:
    """Issue 12: a sanction is added by an administrator or a reviewer of the record's provider department —
    not by any reviewer who happens to see the record (a sanction is pushed to the national platform)."""
    return may_enter_record_for(user, record.provider)


def ensure_may_add_sanction(user: User, record: CreditRecord) -> None:
    if not may_add_sanction(user, record):
        raise PermissionDenied(
            _("Only an administrator or a reviewer of %(provider)s adds sanctions to this record.")
            % {"provider": record.provider.name}
        )


def may_report_execution(user: User, sanction: Sanction) -> bool:
    """Execution feedback (执行反馈) on a sanction comes from its implementing department (or an administrator)."""
    return is_admin(user) or (user.is_authenticated and _member_of(user, sanction.implementer_id))


def ensure_may_report_execution(user: User, sanction: Sanction) -> None:
    if not may_report_execution(user, sanction):
        raise PermissionDenied(_("Only the implementing department reports on this sanction."))


def ensure_department_may_report_execution(department: Department, sanction: Sanction) -> None:
    """The same rule for a department's own system, signed with its endpoint secret (no user behind it)."""
    if sanction.implementer_id != department.pk:
        raise PermissionDenied(_("Only the implementing department reports on this sanction."))


def may_keep_dossier(user: User, subject: Subject) -> bool:
    """Entries in a subject's dossier (一企一档) are written by staff who may see the subject."""
    if not (user.is_authenticated and user.is_staff_role):
        return False
    return subjects_visible_to(user).filter(pk=subject.pk).exists()


def ensure_may_keep_dossier(user: User, subject: Subject) -> None:
    if not (user.is_authenticated and user.is_staff_role):
        raise PermissionDenied(_("Only staff record entries in a subject's dossier."))
    if not may_keep_dossier(user, subject):
        raise PermissionDenied(_("This subject is outside your jurisdiction."))


# -- cases --------------------------------------------------------------------------------------------------


def may_file_for(user: User, subject: Subject, office: Department | None) -> bool:
    """A subject's user files for a subject they represent; the receiving credit office files on a subject's
    behalf at its offline window (线下窗口); an administrator may file for anyone."""
    if not user.is_authenticated:
        return False
    if user.role == Role.SUBJECT:
        return user.subjects.filter(pk=subject.pk).exists()
    if user.role == Role.ADMIN:
        return True
    return user.role == Role.REVIEWER and office is not None and _member_of(user, office.pk)


def may_act_for_subject(user: User, case: Case) -> bool:
    """The subject's own acts on a case (补正 materials, the bankruptcy completion report): a user who
    represents the case's subject, or an administrator."""
    if is_admin(user):
        return True
    return (
        user.is_authenticated
        and user.role == Role.SUBJECT
        and user.subjects.filter(pk=case.subject_id).exists()
    )


def ensure_may_act_for_subject(user: User, case: Case) -> None:
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise NotVisible()
    if not may_act_for_subject(user, case):
        raise PermissionDenied(_("Only the subject (or an administrator) does this on a case."))


def may_request_review(user: User, case: Case) -> bool:
    """复核 (docs/domain.md §9.4) is the subject's request: a user who represents the objection's subject, the
    credit office that received the objection (its offline window, 线下窗口, files on the subject's behalf),
    or an administrator."""
    if may_act_for_subject(user, case):
        return True
    return user.is_authenticated and user.role == Role.REVIEWER and _member_of(user, case.receiving_office_id)


def ensure_may_request_review(user: User, case: Case) -> None:
    if not cases_visible_to(user).filter(pk=case.pk).exists():
        raise NotVisible()
    if not may_request_review(user, case):
        raise PermissionDenied(
            _("Only the subject (or the office that received the objection) asks for its review.")
        )


# -- tasks --------------------------------------------------------------------------------------------------


def may_work_task(user: User, task: CaseTask) -> bool:
    """Claiming, handing back and deciding a step: a reviewer of the task's department (DESIGN contract)."""
    return user.is_authenticated and user.role == Role.REVIEWER and _member_of(user, task.department_id)


def ensure_may_work_task(user: User, task: CaseTask) -> None:
    if not (user.is_authenticated and user.role == Role.REVIEWER):
        raise PermissionDenied(_("Only a reviewer of the department can work on this task."))
    if not may_work_task(user, task):
        raise NotVisible()


def _task_visible(user: User, task: CaseTask) -> bool:
    return tasks_visible_to(user).filter(pk=task.pk).exists()


def may_extend_task(user: User, task: CaseTask) -> bool:
    """More working days for a step are a supervisor's approval (or an administrator's), in their scope."""
    return may_supervise(user) and _task_visible(user, task)


def ensure_may_extend_task(user: User, task: CaseTask) -> None:
    if not may_supervise(user):
        raise PermissionDenied(_("Only a supervisor can extend a time limit."))
    if not _task_visible(user, task):
        raise NotVisible()


def _crosses_departments(user: User) -> bool:
    """Moving work to another department is the credit office's remedy for 督办 (and an administrator's)."""
    if is_admin(user):
        return True
    return (
        user.role == Role.SUPERVISOR and user.departments.filter(kind=DepartmentKind.CREDIT_OFFICE).exists()
    )


def may_reassign(user: User, task: CaseTask) -> bool:
    """Whether the user may hand this task to someone else at all (to a colleague, or further).

    A reviewer within their own department; a department head (supervisor) within theirs; the credit
    office's supervisors anything in their jurisdiction; an administrator anything.
    """
    if not user.is_authenticated or task.is_finished:
        return False
    if is_admin(user):
        return True
    if user.role == Role.REVIEWER:
        return _member_of(user, task.department_id)
    if user.role == Role.SUPERVISOR and _task_visible(user, task):
        return _crosses_departments(user) or _member_of(user, task.department_id)
    return False


def task_keeps_department(task: CaseTask) -> bool:
    """Whether the task is one department's own part of its case, which no other department can take over
    (docs/domain.md §9.8, 谁认定谁修复):

    * a branch of a DepartmentSplit (bankruptcy: one task per provider department) — the service acting on
      its decision works on that department's records only, so a move would leave them published while
      another department decides nothing;
    * a step whose rule-set department is `provider` (verification, decision, court deletion, shielding):
      the department that made the finding decides, and its notice is issued in that department's name.

    Such a task moves only between people and the queue of its own department.
    """
    flow_task = task.flow_task
    if flow_task is not None and (flow_task.data or {}).get("department"):
        return True
    return _step_department_rule(task) == "provider"


def keeps_department_message(task: CaseTask) -> str:
    """The field-level refusal for moving a department's own step elsewhere (web form and API alike)."""
    return str(
        _(
            "This step belongs to %(department)s, the department that made the finding (谁认定谁修复); "
            "it can only go to a colleague there."
        )
        % {"department": task.department.name}
    )


def _step_department_rule(task: CaseTask) -> str | None:
    """The rule-set `department` of the task's step (a step of an exit objection is read from the list-exit
    rules, as its flow node does); None for a step the case's rule set does not name."""
    kinds = task.case.rule_set.data.get("case_kinds", {})
    for kind in [task.case.kind, *sorted(kinds)]:
        step = kinds.get(kind, {}).get("steps", {}).get(task.step)
        if step is not None:
            return step.get("department")
    return None


def _holds_step(task: CaseTask) -> QuerySet[Department]:
    """Departments that can hold the task's step: the kind and level of the department the step's rule placed
    it at (a city report with a city credit office). A department's own part of the case — a per-department
    branch or a provider's step — keeps its department."""
    if task_keeps_department(task):
        return Department.objects.filter(pk=task.department_id)
    return Department.objects.filter(kind=task.department.kind, level=task.department.level)


def reassign_targets(user: User, task: CaseTask) -> QuerySet[Department]:
    """The departments the user may hand this task to — the same list on the web form and in the API.

    The task's own department (a colleague) whenever the user may reassign it; other departments only for
    those who cross departments, within their jurisdiction (everything for an administrator) and only
    departments that can hold the step.
    """
    if not may_reassign(user, task):
        return Department.objects.none()
    own = Department.objects.filter(pk=task.department_id)
    if not _crosses_departments(user):
        return own
    others = departments_in_jurisdiction(user).filter(pk__in=_holds_step(task).values("pk"))
    return (others | own).distinct().order_by("code")


def ensure_may_reassign(user: User, task: CaseTask, target: Department) -> None:
    """Raise the most telling refusal: 404 outside the user's scope, 403 for what the role may not do
    (another department, outside the jurisdiction), 400 on `department` for one that cannot hold the step."""
    if not _task_visible(user, task):
        raise NotVisible()
    if not may_reassign(user, task):
        raise PermissionDenied(_("You cannot reassign this task."))
    if target.pk == task.department_id:
        return
    if not _crosses_departments(user):
        raise PermissionDenied(_("Only the credit office reassigns a task to another department."))
    if not departments_in_jurisdiction(user).filter(pk=target.pk).exists():
        raise PermissionDenied(
            _("%(department)s is outside your jurisdiction.") % {"department": target.name}
        )
    if task_keeps_department(task):
        raise ValidationError({"department": [keeps_department_message(task)]})
    if not _holds_step(task).filter(pk=target.pk).exists():
        raise ValidationError(
            {
                "department": [
                    _(
                        "%(target)s cannot take this step: it needs a department of the kind “%(kind)s” "
                        "at the level “%(level)s”."
                    )
                    % {
                        "target": target.name,
                        "kind": task.department.get_kind_display(),
                        "level": task.department.get_level_display(),
                    }
                ]
            }
        )
