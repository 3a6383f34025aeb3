from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import CaseState
from casework.services import objection

from .base import CaseFlowMixin, acceptance_step
from .nodes import Decision, HumanStep


class ObjectionFlow(CaseFlowMixin, flow.Flow):
    """异议: the credit office accepts, the provider verifies; sanctions suspended in between."""

    process_title = _("Objection")

    start = flow.StartHandle(this.start_case).Next(this.accept)

    accept = acceptance_step().Next(this.is_accepted)

    is_accepted = flow.If(this.was_accepted).Then(this.verify).Else(this.end)

    verify = HumanStep(
        this.decide_verification,
        step="verify",
        decisions=(
            Decision("upheld", _("Record is accurate (upheld)"), note_required=True),
            Decision("corrected", _("Record corrected"), note_required=True, requires=("correction",)),
            Decision("deleted", _("Record deleted"), note_required=True),
        ),
    ).Next(this.end)

    end = flow.End()

    def was_accepted(self, activation) -> bool:
        return self.case_in(activation, CaseState.VERIFYING)

    def decide_acceptance(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "accept":
            objection.objection_accept(case=case, actor=user, note=note)
        else:
            self.refuse(activation, user=user, note=note)

    def decide_verification(self, activation, *, case_task, user, decision, note, data):
        objection.objection_verify(
            case=activation.process.case,
            actor=user,
            outcome=decision,
            reason=note,
            correction=data.get("correction", ""),
        )
