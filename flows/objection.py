from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow, lock

from casework.models import Case, CaseState
from casework.services import objection

from .models import CaseProcess
from .nodes import Decision, HumanStep


class ObjectionFlow(flow.Flow):
    """异议: the credit office accepts, the provider verifies; sanctions suspended in between."""

    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock
    process_title = _("Objection")

    start = flow.StartHandle(this.start_case).Next(this.accept)

    accept = HumanStep(
        this.decide_acceptance,
        step="accept",
        department=this.receiving_office,
        decisions=(
            Decision("accept", _("Accept")),
            Decision("refuse", _("Refuse to accept"), note_required=True),
            Decision(
                "request_materials", _("Request missing materials (补正)"), note_required=True, holds=True
            ),
        ),
        hold=this.request_materials,
    ).Next(this.is_accepted)

    is_accepted = flow.If(this.was_accepted).Then(this.verify).Else(this.end)

    verify = HumanStep(
        this.decide_verification,
        step="verify",
        department=this.provider,
        decisions=(
            Decision("upheld", _("Record is accurate (upheld)"), note_required=True),
            Decision("corrected", _("Record corrected"), note_required=True, requires=("correction",)),
            Decision("deleted", _("Record deleted"), note_required=True),
        ),
    ).Next(this.end)

    end = flow.End()

    def start_case(self, activation, case):
        activation.process.case = case
        return activation.process

    def was_accepted(self, activation) -> bool:
        # Read from the database: the services changed the case through their own locked copies.
        return Case.objects.filter(pk=activation.process.case_id, state=CaseState.VERIFYING).exists()

    def receiving_office(self, case):
        return case.receiving_office

    def provider(self, case):
        return case.records.order_by("id").first().provider

    def decide_acceptance(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "accept":
            objection.objection_accept(case=case, actor=user, note=note)
        else:
            objection.objection_refuse(case=case, actor=user, reason=note)

    def request_materials(self, *, case_task, user, decision, note, data):
        objection.objection_request_materials(case=case_task.case, task=case_task, actor=user, materials=note)

    def decide_verification(self, activation, *, case_task, user, decision, note, data):
        objection.objection_verify(
            case=activation.process.case,
            actor=user,
            outcome=decision,
            reason=note,
            correction=data.get("correction", ""),
        )
