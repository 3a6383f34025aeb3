from django.utils.translation import gettext_lazy as _
from viewflow import this
from viewflow.workflow import flow

from casework.models import CaseState
from casework.services import repair
from casework.services.offices import LEVELS

from .base import CaseFlowMixin, acceptance_step
from .nodes import Decision, HumanStep

OPINION = (
    Decision(
        "approve",
        _("Conditions met: repair (or report upward where a higher level decides)"),
        note_required=True,
    ),
    Decision("reject", _("Conditions not met: refuse the repair"), note_required=True),
)


class RepairFlow(CaseFlowMixin, flow.Flow):
    """信用修复: the credit office accepts, the provider verifies (谁认定谁修复), and where the rule set says so
    the opinion goes up level by level (逐级上报) to the office that decides."""

    process_title = _("Credit repair")

    start = flow.StartHandle(this.start_case).Next(this.accept)

    accept = acceptance_step().Next(this.is_accepted)

    is_accepted = flow.If(this.is_verifying).Then(this.verify).Else(this.end)

    verify = HumanStep(this.decide_verification, step="verify", decisions=OPINION).Next(this.to_district)

    # A level below the receiving office is skipped: a case received by a city office reports to the city
    # (its own level) and then the province, never to a district office that is not on its line.
    to_district = flow.If(this.reports_at_district).Then(this.report_district).Else(this.to_city)

    report_district = HumanStep(this.decide_district, step="report_district", decisions=OPINION).Next(
        this.to_city
    )

    to_city = flow.If(this.reports_at_city).Then(this.report_city).Else(this.to_province)

    report_city = HumanStep(this.decide_city, step="report_city", decisions=OPINION).Next(this.to_province)

    to_province = flow.If(this.is_reporting).Then(this.report_province).Else(this.end)

    report_province = HumanStep(this.decide_province, step="report_province", decisions=OPINION).Next(
        this.end
    )

    end = flow.End()

    def is_verifying(self, activation) -> bool:
        return self.case_in(activation, CaseState.VERIFYING)

    def is_reporting(self, activation) -> bool:
        return self.case_in(activation, CaseState.REPORTING)

    def _reports_at(self, activation, level: str) -> bool:
        received_at = activation.process.case.receiving_office.level
        return self.is_reporting(activation) and LEVELS.index(received_at) <= LEVELS.index(level)

    def reports_at_district(self, activation) -> bool:
        return self._reports_at(activation, "district")

    def reports_at_city(self, activation) -> bool:
        return self._reports_at(activation, "city")

    def decide_acceptance(self, activation, *, case_task, user, decision, note, data):
        case = activation.process.case
        if decision == "accept":
            repair.repair_accept(case=case, actor=user, note=note)
        else:
            self.refuse(activation, user=user, note=note)

    def decide_verification(self, activation, *, case_task, user, decision, note, data):
        repair.repair_verify(case=activation.process.case, actor=user, decision=decision, note=note)

    def _report(self, activation, level, user, decision, note):
        repair.repair_report(
            case=activation.process.case, actor=user, level=level, decision=decision, note=note
        )

    def decide_district(self, activation, *, case_task, user, decision, note, data):
        self._report(activation, "district", user, decision, note)

    def decide_city(self, activation, *, case_task, user, decision, note, data):
        self._report(activation, "city", user, decision, note)

    def decide_province(self, activation, *, case_task, user, decision, note, data):
        self._report(activation, "province", user, decision, note)
