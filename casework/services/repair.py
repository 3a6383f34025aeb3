"""Credit repair (信用修复): acceptance, the provider's verification (谁认定谁修复), the opinion reported level by
level (逐级上报, Turpan §16) up to where the case's rule set decides, and the repair itself.

On repair the record stops being published, every sanction on it is lifted (each with its history event), the
result is queued for the national credit platform (「及时将修复结果推送至全国信用信息共享平台」) and the subject
receives the decision notice. The rule set's `decided_by` is `provider` (国办发〔2025〕22号, NDRC Order 36) or a
credit-office level (the local plans: `province`).
"""

from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CreditRecord, Outcome, User

from .conclusion import case_conclude, records_release
from .history import history_record
from .offices import LEVELS
from .transitions import transition


def _records(case: Case) -> list[CreditRecord]:
    return list(case.records.order_by("id"))


def repair_grant(*, case: Case, actor: User | None, reason: str) -> Case:
    label = _("repair %(n)s") % {"n": case.number}
    records_release(case=case, actor=actor, note=str(label))
    return case_conclude(
        case=case, actor=actor, outcome=Outcome.REPAIRED, reason=reason, event="repair_granted", platform=True
    )


def repair_reject(*, case: Case, actor: User | None, reason: str) -> Case:
    return case_conclude(
        case=case, actor=actor, outcome=Outcome.REJECTED, reason=reason, event="repair_rejected"
    )


def repair_accept(*, case: Case, actor: User, note: str = "") -> Case:
    """The receiving office accepts a complete application and forwards it to the provider, whatever the
    records' severity: 谁认定谁修复 (docs/domain.md §9.8) — the department that made the finding decides every
    repair, minor records included; the office never repairs at acceptance."""
    records = _records(case)
    case = transition(case, "accept", field="state", actor=actor, case=case, note=note)
    events.publish(events.RepairAccepted.of(case, provider=records[0].provider.name))
    return case


def repair_verify(*, case: Case, actor: User, decision: str, note: str) -> Case:
    """The provider's verification: its decision (national rules) or its opinion, reported upward (local)."""
    if decision == "reject":
        return repair_reject(case=case, actor=actor, reason=note)
    if case.rule_set.case_rules(case.kind)["decided_by"] == "provider":
        return repair_grant(case=case, actor=actor, reason=note)
    # The report starts at the receiving office's own level (a city office has no district to report through).
    case = transition(
        case,
        "report_up",
        field="state",
        actor=actor,
        case=case,
        note=note,
        data={"level": case.receiving_office.level},
    )
    events.publish(events.RepairReported.of(case))
    return case


def repair_report(*, case: Case, actor: User, level: str, decision: str, note: str) -> Case:
    """One level's opinion on the report; the deciding level's opinion is the decision."""
    if decision == "reject":
        return repair_reject(case=case, actor=actor, reason=note)
    if case.rule_set.case_rules(case.kind)["decided_by"] == level:
        return repair_grant(case=case, actor=actor, reason=note)
    upper = LEVELS[LEVELS.index(level) + 1]
    history_record(
        target=case,
        action="reported_up",
        actor=actor,
        case=case,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data={"from": level, "to": upper},
    )
    return case
