"""Bankruptcy-restructuring repair (破产重整信用修复), in two stages (SAMR Order 107; 国办发〔2025〕22号: sanctions
lifted on the court's ruling; Qujiang §二(二)5 and task 14, led by the district court).

Stage 1, on the ruling approving the plan: every department that provided a record on the enterprise shields
its records and lifts its sanctions, all in parallel (one task each). The case then waits — no task, no step
clock — until the plan's completion is reported. Stage 2: the same departments repair the records in full.
"""

from collections.abc import Sequence

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events, policies, workflows
from casework.exceptions import Conflict
from casework.models import (
    FINISHED_TASK_STATES,
    Case,
    CaseState,
    Department,
    MaterialPurpose,
    Outcome,
    Publicity,
    SuspensionReason,
    User,
)

from .cases import _inspect_all, _store_materials
from .conclusion import case_conclude
from .deadlines import case_deadlines_resume, case_deadlines_suspend
from .history import history_record
from .records import record_end_shielded, record_shield
from .sanctions import sanctions_lift_all
from .transitions import lock, transition

WAIT_NODE = "wait_completion"


def bankruptcy_departments(case: Case) -> list[str]:
    """Codes of the departments that provided the case's records: one parallel task each."""
    return sorted(set(case.records.values_list("provider__code", flat=True)))


def stage2_departments(case: Case) -> list[str]:
    """Only the departments that shielded records in stage 1 repair them in full."""
    return sorted(
        set(case.tasks.filter(step="shield", decision="shield").values_list("department__code", flat=True))
    )


def bankruptcy_start(*, case: Case) -> Case:
    return transition(
        case,
        "start_shielding",
        field="state",
        actor=None,
        case=case,
        note=str(_("filed by the administrator (管理人)")) if case.by_administrator else "",
        data={"departments": bankruptcy_departments(case)},
    )


def _stage_open(case: Case, step: str) -> bool:
    return case.tasks.filter(step=step).exclude(state__in=FINISHED_TASK_STATES).exists()


def _department_decided(*, case: Case, actor: User, department: Department, decision: str, note: str) -> None:
    """One department's decision, on the case's own history (its notice reports this row) and as an event:
    the department decides on its own records and the notice goes out in its name (谁认定谁修复,
    docs/domain.md §9.8). `decision`: `shield_granted`, `shield_refused` or `fully_repaired`."""
    history_record(
        target=case,
        action=decision,
        actor=actor,
        case=case,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data={"department": department.code},
    )
    events.publish(
        events.BankruptcyDecided.of(case, department=department.name, decision=decision, reason=note)
    )


def bankruptcy_shield(*, case: Case, actor: User, department: Department, decision: str, note: str) -> Case:
    case = lock(case)
    label = str(_("restructuring %(n)s, stage 1") % {"n": case.number})
    if decision == "shield":
        for record in case.records.filter(provider=department, publicity=Publicity.PUBLISHED).order_by("id"):
            record_shield(record=record, actor=actor, case=case, note=label)
            sanctions_lift_all(record=record, actor=actor, case=case, note=label)
    _department_decided(
        case=case, actor=actor, department=department, note=note,
        decision="shield_granted" if decision == "shield" else "shield_refused",
    )  # fmt: skip
    if _stage_open(case, "shield"):
        return case  # the join waits for the other departments
    shielded = stage2_departments(case)
    if not shielded:
        reasons = "; ".join(case.tasks.filter(step="shield").order_by("id").values_list("note", flat=True))
        return case_conclude(
            case=case, actor=actor, outcome=Outcome.REJECTED, reason=reasons, event="bankruptcy_refused"
        )
    case = transition(
        case, "await_completion", field="state", actor=actor, case=case, data={"shielded": shielded}
    )
    # The plan is carried out under the court's supervision, for as long as it takes: no clock runs meanwhile.
    case_deadlines_suspend(
        case=case, reason=SuspensionReason.COURT, note=str(_("restructuring plan being carried out"))
    )
    names = ", ".join(
        Department.objects.filter(code__in=shielded).order_by("code").values_list("name", flat=True)
    )
    events.publish(events.BankruptcyShielded.of(case, departments=names))
    return case


@transaction.atomic
def bankruptcy_report_completion(*, case: Case, actor: User, note: str, materials: Sequence) -> Case:
    """The enterprise or its administrator reports that the plan was carried out: stage 2 starts."""
    policies.ensure_may_act_for_subject(actor, case)
    inspected = _inspect_all(materials)
    case = lock(case)
    if case.state != CaseState.AWAITING_COMPLETION:
        raise Conflict(
            _("Case %(n)s is not waiting for a completion report (%(state)s).")
            % {"n": case.number, "state": case.get_state_display()},
            code="not_awaiting_completion",
        )
    _store_materials(case, materials, inspected, MaterialPurpose.COMPLETION, actor)
    case = transition(case, "start_full_repair", field="state", actor=actor, case=case, note=note)
    case_deadlines_resume(case=case)
    case.completion_reported_at = timezone.now()
    case.save(update_fields=["completion_reported_at"])
    workflows.resume(case, WAIT_NODE)
    return case


def bankruptcy_full_repair(*, case: Case, actor: User, department: Department, note: str) -> Case:
    case = lock(case)
    label = str(_("restructuring %(n)s, stage 2") % {"n": case.number})
    for record in case.records.filter(provider=department, publicity=Publicity.SHIELDED).order_by("id"):
        record_end_shielded(record=record, actor=actor, case=case, note=label)
        sanctions_lift_all(record=record, actor=actor, case=case, note=label)  # any imposed meanwhile
    _department_decided(case=case, actor=actor, department=department, decision="fully_repaired", note=note)
    if _stage_open(case, "full_repair"):
        return case
    reason = "; ".join(n for n in case.tasks.filter(step="full_repair").values_list("note", flat=True) if n)
    return case_conclude(
        case=case,
        actor=actor,
        outcome=Outcome.REPAIRED,
        reason=reason,
        event="bankruptcy_repaired",
        platform=True,
    )
