"""The objection (异议) workflow's decisions (Harbin §13, Turpan §17; Shanghai art. 36, Zhejiang arts. 30–31).

From acceptance the disputed records show 异议中 and the sanctions on them are suspended — per record kind,
as the case's rule set says (the court list stays in force during review). The provider's verification
then restores them (upheld) or revokes them and restores the subject's reputation (corrected / deleted).
"""

from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CreditRecord, Outcome, SanctionState, User

from .conclusion import case_conclude
from .history import history_record
from .notify import case_answer_due
from .records import record_clear_dispute, record_correct, record_delete_as_wrong, record_mark_disputed
from .sanctions import sanction_resume, sanction_revoke, sanction_suspend
from .transitions import transition


def _records(case: Case) -> list[CreditRecord]:
    return list(case.records.order_by("id"))


def objection_accept(*, case: Case, actor: User, note: str = "") -> Case:
    case = transition(case, "accept", field="state", actor=actor, case=case, note=note)
    suspends = case.rule_set.case_rules(case.kind)["suspend_sanctions"]
    for record in _records(case):
        record_mark_disputed(record=record, actor=actor, case=case)
        if suspends.get(record.kind, False):
            for sanction in record.sanctions.filter(state=SanctionState.ACTIVE).order_by("id"):
                sanction_suspend(
                    sanction=sanction, actor=actor, case=case, note=_("objection %(n)s") % {"n": case.number}
                )
    provider = _records(case)[0].provider
    events.publish(events.ObjectionAccepted.of(case, provider=provider.name, due_on=case_answer_due(case)))
    return case


def objection_settle_records(
    *, case: Case, actor: User, outcome: str, reason: str, correction: str = "", label: str
) -> None:
    """Apply an objection outcome to the case's records, their 异议 mark and their sanctions (the objection's
    verification and a review that changes its result, services/review.py). `label` notes the sanctions'
    history. The records must be marked 异议中."""
    for record in _records(case):
        if outcome == Outcome.UPHELD:
            record_clear_dispute(record=record, actor=actor, case=case, note=reason)
            for sanction in record.sanctions.filter(state=SanctionState.SUSPENDED).order_by("id"):
                sanction_resume(sanction=sanction, actor=actor, case=case, note=label)
            continue
        if outcome == Outcome.CORRECTED:
            record = record_correct(record=record, summary=correction, actor=actor, case=case, note=reason)
            record_clear_dispute(record=record, actor=actor, case=case, note=reason)
        else:
            record_delete_as_wrong(record=record, actor=actor, case=case, note=reason)
        in_force = record.sanctions.filter(state__in=[SanctionState.ACTIVE, SanctionState.SUSPENDED])
        for sanction in in_force.order_by("id"):
            sanction_revoke(sanction=sanction, actor=actor, case=case, note=label)
    if outcome != Outcome.UPHELD:
        # Harbin §13: 「因错误采取联合惩戒措施损害有关主体合法权益的…恢复其信誉, 消除不良影响」.
        history_record(
            target=case,
            action="reputation_restored",
            actor=actor,
            case=case,
            from_state=case.state,
            to_state=case.state,
            note=str(
                _(
                    "The record was wrong; sanctions taken because of it are revoked and the subject's "
                    "reputation is restored. Administrative reconsideration and litigation remain open."
                )
            ),
        )


def objection_verify(*, case: Case, actor: User, outcome: str, reason: str, correction: str = "") -> Case:
    label = _("objection %(n)s: %(outcome)s") % {"n": case.number, "outcome": Outcome(outcome).label}
    objection_settle_records(
        case=case, actor=actor, outcome=outcome, reason=reason, correction=correction, label=str(label)
    )
    provider = _records(case)[0].provider
    return case_conclude(
        case=case,
        actor=actor,
        outcome=outcome,
        reason=reason,
        event=f"objection_{outcome}",
        via="close",
        provider=provider.name if provider else "",
    )
