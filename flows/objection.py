from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import Case, CaseState
from casework.services import objection
from casework.services.deadlines import case_route_step

from .base import CaseFlowMixin, acceptance_step
from .nodes import Decision, HumanStep

# The six outcomes (《浙江省公共信用信息管理条例》 art. 30; docs/domain.md §9.2). Each needs the reason the
# subject reads; `corrected` the corrected text and `supplemented` what is added (services/objection.py).
UPHELD = Decision("upheld", _("Record is accurate (upheld)"), note_required=True)
CORRECTED = Decision("corrected", _("Record corrected"), note_required=True, requires=("correction",))
SUPPLEMENTED = Decision(
    "supplemented", _("Record supplemented"), note_required=True, requires=("supplement",)
)
DELETED = Decision("deleted", _("Record deleted"), note_required=True)
PUBLICATION_STOPPED = Decision(
    "publication_stopped", _("Publication stopped (shown past its period)"), note_required=True
)
REMOVED_FROM_LIST = Decision(
    "removed_from_list",
    _("Removed from the list (wrongly listed or not removed when due)"),
    note_required=True,
)
OUTCOMES = (UPHELD, CORRECTED, SUPPLEMENTED, DELETED, PUBLICATION_STOPPED, REMOVED_FROM_LIST)
# The credit office's own errors, settled at its self-check (the rule set's `self_check_outcomes` decides
# which of these it may use), or forwarded to the provider.
SELF_CHECK = (
    Decision("forward", _("Forward to the provider for verification (转送)")),
    PUBLICATION_STOPPED,
    DELETED,
    CORRECTED,
)


class ObjectionFlow(CaseFlowMixin, flow.Flow):
    """异议: filing marks the records; the credit office accepts and checks for its own errors, settling those
    itself; otherwise the provider verifies. An objection to the court list is the court's correction review
    (15 calendar days from filing, 法释〔2017〕7号 art. 11) instead."""

    process_title = _("Objection")

    start = flow.StartHandle(this.start_case).Next(this.accept)

    accept = acceptance_step().Next(this.is_accepted)

    is_accepted = flow.If(this.was_accepted).Then(this.is_court_list).Else(this.end)

    is_court_list = flow.If(this.goes_to_court).Then(this.court_review).Else(this.self_check)

    self_check = HumanStep(this.decide_self_check, step="self_check", decisions=SELF_CHECK).Next(
        this.is_forwarded
    )

    is_forwarded = flow.If(this.was_forwarded).Then(this.verify).Else(this.end)

    verify = HumanStep(this.decide_verification, step="verify", decisions=OUTCOMES).Next(this.end)

    court_review = HumanStep(this.decide_verification, step="court_review", decisions=OUTCOMES).Next(this.end)

    end = flow.End()

    def was_accepted(self, activation) -> bool:
        return self.case_in(activation, CaseState.VERIFYING)

    def goes_to_court(self, activation) -> bool:
        return case_route_step(Case.objects.get(pk=activation.process.case_id)) == "court_review"

    def was_forwarded(self, activation) -> bool:
        return self.case_in(activation, CaseState.VERIFYING)

    def decide_acceptance(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "accept":
            objection.objection_accept(case=case, actor=user, note=note)
        else:
            objection.objection_release(case=case, actor=user, note=note)  # the filing's marks come off
            self.refuse(activation, user=user, note=note)

    def decide_self_check(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "forward":
            objection.objection_forward(case=case, actor=user, note=note)
        else:
            objection.objection_decide(
                case=case, actor=user, outcome=decision, reason=note, data=data, self_check=True
            )

    def decide_verification(self, activation, *, case_task, user, decision, note, data):
        objection.objection_decide(
            case=activation.process.case, actor=user, outcome=decision, reason=note, data=data
        )
