from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import CaseState, RecordKind
from casework.services import list_exit

from .base import CaseFlowMixin, acceptance_step
from .nodes import Decision, HumanStep


class ListExitFlow(CaseFlowMixin, flow.Flow):
    """黑名单退出: acceptance, verification, publicity (公示; an objection holds it), decision, removal.
    Court-list entries take the short way: deletion on a recorded ground within 3 working days."""

    process_title = _("Serious-list exit")

    start = flow.StartHandle(this.start_case).Next(this.route)

    route = flow.If(this.is_court_list).Then(this.court_delete).Else(this.accept)

    court_delete = HumanStep(
        this.decide_court_deletion,
        step="court_delete",
        decisions=(
            Decision("delete", _("Delete the listing (ground confirmed)"), note_required=True),
            Decision("refuse", _("Refuse: the ground does not apply"), note_required=True),
        ),
    ).Next(this.end)

    accept = acceptance_step().Next(this.is_accepted)

    is_accepted = flow.If(this.is_verifying).Then(this.verify).Else(this.end)

    verify = HumanStep(
        this.decide_verification,
        step="verify",
        decisions=(
            Decision("approve", _("Conditions met: publish the intended exit (公示)"), note_required=True),
            Decision("reject", _("Conditions not met: refuse the exit"), note_required=True),
        ),
    ).Next(this.is_published)

    is_published = flow.If(this.in_publicity).Then(this.publicity).Else(this.end)

    # Waits, with no task, until the publicity sweep (or a decided objection) resumes it.
    publicity = flow.Handle(this.publicity_over).Next(this.after_publicity)

    after_publicity = flow.If(this.is_deciding).Then(this.decide).Else(this.end)

    decide = HumanStep(
        this.decide_exit,
        step="decide",
        decisions=(
            Decision("remove", _("Remove from the list"), note_required=True),
            Decision("reject", _("Refuse the exit"), note_required=True),
        ),
    ).Next(this.end)

    end = flow.End()

    def is_court_list(self, activation) -> bool:
        return activation.process.case.records.filter(kind=RecordKind.COURT_DISHONEST).exists()

    def is_verifying(self, activation) -> bool:
        return self.case_in(activation, CaseState.VERIFYING)

    def in_publicity(self, activation) -> bool:
        return self.case_in(activation, CaseState.PUBLICITY)

    def is_deciding(self, activation) -> bool:
        return self.case_in(activation, CaseState.DECIDING)

    def publicity_over(self, activation, **kwargs):
        return activation.process  # the service already moved the case; this only lets the flow go on

    def decide_acceptance(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "accept":
            list_exit.list_exit_accept(case=case, actor=user, note=note)
        else:
            self.refuse(activation, user=user, note=note)

    def decide_verification(self, activation, *, case_task, user, decision, note, data):
        list_exit.list_exit_verify(case=activation.process.case, actor=user, decision=decision, note=note)

    def decide_exit(self, activation, *, case_task, user, decision, note, data):
        list_exit.list_exit_decide(case=activation.process.case, actor=user, decision=decision, note=note)

    def decide_court_deletion(self, activation, *, case_task, user, decision, note, data):
        list_exit.court_deletion_decide(
            case=activation.process.case, actor=user, decision=decision, note=note
        )


class ExitObjectionFlow(CaseFlowMixin, flow.Flow):
    """An objection against a list exit during its publicity: the provider decides whether it is founded."""

    process_title = _("Objection against a list exit")

    start = flow.StartHandle(this.start_case).Next(this.verify)

    verify = HumanStep(
        this.decide,
        step="objection_verify",
        rules_kind="list_exit",
        decisions=(
            Decision("founded", _("Objection founded: refuse the exit"), note_required=True),
            Decision("unfounded", _("Objection unfounded: the exit goes on"), note_required=True),
        ),
    ).Next(this.end)

    end = flow.End()

    def decide(self, activation, *, case_task, user, decision, note, data):
        list_exit.exit_objection_decide(
            case=activation.process.case, actor=user, decision=decision, reason=note
        )
