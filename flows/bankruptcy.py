from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import Case, CaseState
from casework.services import bankruptcy

from .base import CaseFlowMixin
from .nodes import Decision, DepartmentSplit, HumanStep


class BankruptcyRepairFlow(CaseFlowMixin, flow.Flow):
    """破产重整: stage 1 in parallel at every provider department, a wait for the plan's completion, stage 2."""

    process_title = _("Bankruptcy-restructuring repair")

    start = flow.StartHandle(this.start_case).Next(this.shield_split)

    shield_split = DepartmentSplit(departments=this.providers).Next(this.shield)

    shield = HumanStep(
        this.decide_shield,
        step="shield",
        decisions=(
            Decision("shield", _("Shield our records and lift our sanctions")),
            Decision("refuse", _("Refuse: the ruling does not cover our records"), note_required=True),
        ),
    ).Next(this.shield_join)

    shield_join = flow.Join().Next(this.is_waiting)

    is_waiting = flow.If(this.awaits_completion).Then(this.wait_completion).Else(this.end)

    # No task and no step clock while the plan is carried out; the completion report resumes it.
    wait_completion = flow.Handle(this.completion_reported).Next(this.repair_split)

    repair_split = DepartmentSplit(departments=this.shielding_departments).Next(this.full_repair)

    full_repair = HumanStep(
        this.decide_full_repair,
        step="full_repair",
        decisions=(Decision("repair", _("Repair our records in full")),),
    ).Next(this.repair_join)

    repair_join = flow.Join().Next(this.end)

    end = flow.End()

    def start_case(self, activation, case):
        activation.process.case = case
        bankruptcy.bankruptcy_start(case=case)
        return activation.process

    def providers(self, case):
        return bankruptcy.bankruptcy_departments(case)

    def shielding_departments(self, case):
        return bankruptcy.stage2_departments(case)

    def awaits_completion(self, activation) -> bool:
        # Read from the database: the services changed the case through their own locked copies.
        return Case.objects.filter(
            pk=activation.process.case_id, state=CaseState.AWAITING_COMPLETION
        ).exists()

    def completion_reported(self, activation, **kwargs):
        return activation.process  # the service already moved the case to stage 2

    def decide_shield(self, activation, *, case_task, user, decision, note, data):
        bankruptcy.bankruptcy_shield(
            case=activation.process.case,
            actor=user,
            department=case_task.department,
            decision=decision,
            note=note,
        )

    def decide_full_repair(self, activation, *, case_task, user, decision, note, data):
        bankruptcy.bankruptcy_full_repair(
            case=activation.process.case, actor=user, department=case_task.department, note=note
        )
