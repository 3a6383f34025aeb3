"""Credit repair (信用修复): acceptance, the provider's verification (谁认定谁修复), the opinion reported level by
level (逐级上报, Turpan §16) up to where the case's rule set decides, and the repair itself.

On repair the record stops being published, every sanction on it is lifted (each with its history event), the
result is queued for the national credit platform (「及时将修复结果推送至全国信用信息共享平台」) and the subject
receives the decision notice. The rule set's `decided_by` is `provider` (国办发〔2025〕22号, NDRC Order 36) or a
credit-office level (the local plans: `province`).
"""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CreditRecord, Department, Outcome, Severity, User

from .history import history_record
from .notify import staff_ids
from .records import record_end_publication, record_end_shielded
from .sanctions import sanctions_lift_all
from .transitions import transition

LEVELS = ("district", "city", "province")


def _records(case: Case) -> list[CreditRecord]:
    return list(case.records.order_by("id"))


def credit_office_at(office: Department | None, level: str) -> Department | None:
    """The district office receives; its parent is the city office, whose parent is the province office."""
    for _step in range(LEVELS.index(level)):
        office = office.parent if office else None
    return office


def case_conclude(*, case: Case, actor: User | None, outcome: str, reason: str, data=None) -> Case:
    case = transition(
        case,
        "conclude",
        field="state",
        actor=actor,
        case=case,
        note=reason,
        data={"outcome": outcome, **(data or {})},
    )
    case.outcome, case.decision_reason, case.closed_at = outcome, reason, timezone.now()
    case.save(update_fields=["outcome", "decision_reason", "closed_at"])
    return case


def records_release(*, case: Case, actor: User | None, note: str, records=None) -> None:
    """End the publication of the case's records (or of shielded ones) and lift every sanction on them."""
    for record in records if records is not None else _records(case):
        if record.publicity == "shielded":
            record_end_shielded(record=record, actor=actor, case=case, note=note)
        else:
            record_end_publication(record=record, actor=actor, case=case, note=note)
        sanctions_lift_all(record=record, actor=actor, case=case, note=note)


def platform_queue(*, case: Case, actor: User | None) -> None:
    """Queue the result for the national credit information sharing platform through the outbox.

    The province joint-meeting office pushes results to the platform (Turpan §16), so the message goes to the
    top of the receiving office's chain; the payload names the case and its records.
    """
    office = case.receiving_office
    while office.parent_id:
        office = office.parent
    records = [str(r.public_id) for r in _records(case)]
    history_record(
        target=case,
        action="platform_queued",
        actor=actor,
        case=case,
        from_state=case.state,
        to_state=case.state,
        data={"office": office.code, "records": records, "outcome": case.outcome},
    )
    events.publish(
        events.PlatformPush.of(
            case, outcome=str(case.outcome), records=", ".join(records), recipient_ids=staff_ids(office)
        )
    )


def repair_grant(*, case: Case, actor: User | None, reason: str) -> Case:
    label = _("repair %(n)s") % {"n": case.number}
    records_release(case=case, actor=actor, note=str(label))
    case = case_conclude(case=case, actor=actor, outcome=Outcome.REPAIRED, reason=reason)
    platform_queue(case=case, actor=actor)
    events.publish(events.RepairGranted.of(case, reason=reason))
    return case


def repair_reject(*, case: Case, actor: User | None, reason: str) -> Case:
    case = case_conclude(case=case, actor=actor, outcome=Outcome.REJECTED, reason=reason)
    events.publish(events.RepairRejected.of(case, reason=reason))
    return case


def repair_accept(*, case: Case, actor: User, note: str = "") -> Case:
    rules = case.rule_set.case_rules(case.kind)
    records = _records(case)
    if rules.get("minor_repair_at_once") and all(r.severity == Severity.MINOR for r in records):
        # 国办发〔2025〕22号: minor information is repaired at once, without verification or reporting.
        reason = note or str(_("Minor record: repaired at once as the rules allow."))
        return repair_grant(case=case, actor=actor, reason=reason)
    case = transition(case, "accept", field="state", actor=actor, case=case, note=note)
    events.publish(events.RepairAccepted.of(case, provider=records[0].provider.name))
    return case


def repair_verify(*, case: Case, actor: User, decision: str, note: str) -> Case:
    """The provider's verification: its decision (national rules) or its opinion, reported upward (local)."""
    if decision == "reject":
        return repair_reject(case=case, actor=actor, reason=note)
    if case.rule_set.case_rules(case.kind)["decided_by"] == "provider":
        return repair_grant(case=case, actor=actor, reason=note)
    case = transition(
        case, "report_up", field="state", actor=actor, case=case, note=note, data={"level": LEVELS[0]}
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
