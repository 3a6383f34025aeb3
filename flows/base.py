"""What every case flow shares: the process model, the lock, how a case starts its process, the acceptance
decisions (受理 / 不予受理 / 补正) and how gates read the case."""

from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import lock

from casework.models import Case
from casework.services import acceptance

from .models import CaseProcess
from .nodes import Decision, HumanStep

ACCEPTANCE = (
    Decision("accept", _("Accept")),
    Decision("refuse", _("Refuse to accept"), note_required=True),
    Decision("request_materials", _("Request missing materials (补正)"), note_required=True, holds=True),
)


def acceptance_step() -> HumanStep:
    """The receiving credit office's first step of every kind of case: accept, refuse, or ask once for what is
    missing (补正). A new node per flow: viewflow binds each node to the one flow class it is declared on."""
    return HumanStep(
        this.decide_acceptance,
        step="accept",
        decisions=ACCEPTANCE,
        hold=this.request_materials,
    )


class CaseFlowMixin:
    """Mixed into each `flow.Flow` (first in its bases, so viewflow sees the process class and the lock)."""

    process_class = CaseProcess
    lock_impl = lock.select_for_update_lock

    def start_case(self, activation, case):
        activation.process.case = case
        return activation.process

    @staticmethod
    def case_in(activation, state) -> bool:
        # Gates read the database: the services changed the case through their own locked copies.
        return Case.objects.filter(pk=activation.process.case_id, state=state).exists()

    def refuse(self, activation, *, user, note) -> None:
        acceptance.case_refuse(case=activation.process.case, actor=user, reason=note)

    def request_materials(self, *, case_task, user, decision, note, data):
        acceptance.case_request_materials(case=case_task.case, task=case_task, actor=user, materials=note)
