"""Drive a demo scenario through the services, step by step, the way the API makes each change (invariant 1):
file the case, then let each person act on the task they find in their own queue."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from casework import selectors
from casework.models import ACTIONABLE_TASK_STATES, Case, CaseState, CreditRecord, Publicity, Role, User
from casework.rules import active_rule_set
from casework.services.bankruptcy import bankruptcy_report_completion
from casework.services.cases import case_file, case_supplement
from casework.services.list_exit import list_exit_expire_due, list_exit_objection_file
from casework.services.review import review_file
from casework.services.tasks import task_claim, task_complete

from .base import CaseSpec, Step

# The smallest file the upload check accepts as a PDF: its type is sniffed from the content.
DEMO_PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

FILE_NAMES = {
    "performance_proof": "履行义务证明.pdf",
    "training_certificate": "信用修复培训证明.pdf",
    "ruling": "批准重整计划裁定书.pdf",
}

# Scenarios that exist only under some rule sets (CaseSpec.only_if), read from the kind's rules.
CONDITIONS = {
    "reports_up": lambda rules: rules.get("decided_by", "provider") != "provider",
    "minor_simplified_check": lambda rules: "minor" in rules.get("checks_by_severity", {}),
}

REPORT_STEPS = ("report_district", "report_city", "report_province")


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, DEMO_PDF, content_type="application/pdf")


def scenario_applies(spec: CaseSpec) -> bool:
    if spec.only_if is None:
        return True
    return CONDITIONS[spec.only_if](active_rule_set().case_rules(spec.kind))


def department_staff(users: dict[str, User]) -> dict[str, User]:
    """Department code → the demo reviewer who acts for it (the first one listed in `USERS`)."""
    staff: dict[str, User] = {}
    for user in users.values():
        if user.role == Role.REVIEWER:
            for code in user.departments.values_list("code", flat=True):
                staff.setdefault(code, user)
    return staff


def case_run(spec: CaseSpec, records: dict[str, CreditRecord], users: dict[str, User]) -> Case:
    first = records[spec.record]
    attachments = {name: [pdf(FILE_NAMES[name])] for name in spec.attachments}
    rules = active_rule_set().case_rules(spec.kind)
    if any(records[key].severity in rules.get("training_required_for", ()) for key in spec.records):
        attachments["training_certificate"] = [pdf(FILE_NAMES["training_certificate"])]
    case = case_file(
        kind=spec.kind,
        subject=first.subject,
        records=[records[key] for key in spec.records],
        statement=spec.statement,
        commitment_signed=True,
        actor=users[spec.filer],
        **attachments,
        **spec.options,
    )
    for step in spec.steps:
        _act(case, spec, step, users)
    case.refresh_from_db()
    if (case.state, case.outcome) != (spec.state, spec.outcome):
        raise CommandError(
            f"Demo case {case.number} ({spec.label}) ended {case.state}/{case.outcome or '-'}, "
            f"expected {spec.state}/{spec.outcome or '-'}: the services changed; update the demo data."
        )
    return case


def _act(case: Case, spec: CaseSpec, step: Step, users: dict[str, User]) -> None:
    if step.action == "report_up":
        _report_up(case, spec, step, users)
        return
    user = users[step.actor]
    if step.action == "supplement":
        case_supplement(case=case, actor=user, note=step.note, materials=[pdf("补正材料.pdf")])
    elif step.action == "object":
        objection = list_exit_objection_file(
            exit_case=case, actor=user, statement=step.note, materials=[pdf("异议证据.pdf")]
        )
        _check_third_party(case, objection, user, spec)
    elif step.action == "request_review":
        review_file(objection=case, actor=user, statement=step.note)
    elif step.action == "report_completion":
        bankruptcy_report_completion(
            case=case, actor=user, note=step.note, materials=[pdf("重整计划执行完毕证明.pdf")]
        )
    elif step.action in ("decide", "claim"):
        _work(case, spec, step, user, step.step, step.decision)
    else:
        raise CommandError(f"Demo case {case.number} ({spec.label}): unknown step action {step.action!r}.")


def _check_third_party(exit_case: Case, objection: Case, objector: User, spec: CaseSpec) -> None:
    """docs/domain.md §9.5 as the demo shows it: the objector follows its objection; the listed subject's
    users do not see it (they read on their exit case that it is held, not who objected or why)."""
    if not selectors.cases_visible_to(objector).filter(pk=objection.pk).exists():
        raise CommandError(f"Demo objection {objection.number} ({spec.label}): its objector cannot see it.")
    for listed in exit_case.subject.representatives.exclude(pk=objector.pk):
        if selectors.cases_visible_to(listed).filter(pk=objection.pk).exists():
            raise CommandError(
                f"Demo objection {objection.number} ({spec.label}): {listed.username}, of the listed "
                "subject, can see who objected and why."
            )


def _work(case: Case, spec: CaseSpec, step: Step, user: User, step_name: str, decision: str) -> None:
    # The task as the reviewer finds it in their own queue (GET /api/v1/tasks/), on the case or on an objection
    # against it, so a demo step that reached the wrong department fails here instead of being done by someone
    # who could not.
    task = (
        selectors.task_queue_for(user)
        .filter(Q(case=case) | Q(case__objects_to=case) | Q(case__review_of=case), step=step_name)
        .first()
    )
    if task is None:
        raise CommandError(
            f"Demo case {case.number} ({spec.label}): no {step_name} task in {user.username}'s queue."
        )
    task = task_claim(task=task, user=user)
    if step.action != "claim":
        task_complete(task=task, user=user, decision=decision, note=step.note, data=dict(step.data))


def _report_up(case: Case, spec: CaseSpec, step: Step, users: dict[str, User]) -> None:
    """Approve at each level the repair is reported to (逐级上报), by that level's reviewer, until it is decided."""
    for _level in REPORT_STEPS:
        if not Case.objects.filter(pk=case.pk, state=CaseState.REPORTING).exists():
            return
        task = case.tasks.filter(step__in=REPORT_STEPS, state__in=ACTIONABLE_TASK_STATES).first()
        if task is None:
            raise CommandError(f"Demo case {case.number} ({spec.label}): reported, but no level has a task.")
        reviewer = department_staff(users).get(task.department.code)
        if reviewer is None:
            raise CommandError(
                f"Demo case {case.number} ({spec.label}): nobody works at {task.department.code}."
            )
        _work(case, spec, step, reviewer, task.step, "approve")


def listings_expire(records: list[CreditRecord]) -> list[CreditRecord]:
    """Let the listings end whose period is over, with the sweep beat runs hourly (`list_exit_expire_due`)."""
    today = timezone.localdate()
    if any(r.publicity == Publicity.PUBLISHED and r.listed_until and r.listed_until < today for r in records):
        list_exit_expire_due()
    for record in records:
        record.refresh_from_db()
        if record.publicity != Publicity.ENDED:
            raise CommandError(
                f"Demo record “{record.summary}” is {record.publicity} after the expiry sweep, not ended."
            )
    return records
