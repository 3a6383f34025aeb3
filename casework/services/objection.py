"""The objection (异议) workflow's decisions (docs/domain.md §9.1–§9.3; Harbin §13, Turpan §17; 《上海市社会信用条例》
art. 36, 《浙江省公共信用信息管理条例》 arts. 30–31; 法释〔2017〕7号 art. 11).

- Filing marks the disputed records 异议中 at once (`objection_filed`, called by `case_open`).
- Acceptance by the receiving credit office suspends the joint sanctions on them, per record kind as the
  case's rule set says (`suspend_sanctions`; the court list stays in force).
- Self-check: an error that is the platform's own is settled by the credit office itself
  (`self_check_outcomes`); otherwise the office forwards the objection to the provider (`objection_forward`),
  who verifies it. An objection to the court list goes to the court's correction review instead.
- Every outcome is settled by ONE function, `objection_settle`, which the objection's steps and the review
  (复核) of an objection result both call; `objection_decide` settles and closes the case.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from casework import events
from casework.models import Case, CreditRecord, Outcome, Publicity, RecordKind, SanctionState, User

from .conclusion import case_conclude
from .history import history_record
from .notify import case_answer_due
from .records import (
    record_clear_dispute,
    record_correct,
    record_delete_as_wrong,
    record_mark_disputed,
    record_stop_publication_as_wrong,
    record_supplement,
    records_undo_marks,
)
from .sanctions import sanction_resume, sanction_revoke, sanction_suspend, sanctions_lock
from .transitions import lock_rows, transition

# The six outcomes (《浙江省公共信用信息管理条例》 art. 30), in the order the forms offer them.
OBJECTION_OUTCOMES = (
    Outcome.UPHELD,
    Outcome.CORRECTED,
    Outcome.SUPPLEMENTED,
    Outcome.DELETED,
    Outcome.PUBLICATION_STOPPED,
    Outcome.REMOVED_FROM_LIST,
)
# The record kinds that are lists (名单); only an entry on a list can be removed from one.
LIST_KINDS = (RecordKind.SERIOUS_LIST, RecordKind.COURT_DISHONEST)
# The outcome → the `data` key it needs, and what that text is (docs/domain.md §9.2).
REQUIRED_TEXT = {Outcome.CORRECTED: "correction", Outcome.SUPPLEMENTED: "supplement"}


def _records(case: Case) -> list[CreditRecord]:
    return list(case.records.select_related("provider").order_by("id"))


# -- filing and acceptance ------------------------------------------------------------------------------------


def objection_filing_errors(*, rules: dict, records: Sequence[CreditRecord]) -> dict[str, list]:
    """Field errors of an objection's records under the kind's `rules` (checked before anything is stored).

    A record kind routed to a step of its own (`route_by_record_kind`: the court list's correction review,
    法释〔2017〕7号 art. 11) runs on its own clock and before its own decider, so it is objected to alone.
    """
    routes = rules.get("route_by_record_kind") or {}
    routed = {routes.get(r.kind) for r in records}
    if len(routed) > 1:
        return {
            "records": [
                _(
                    "An objection to the court's list of dishonest judgment debtors is a correction request to "
                    "the court; file it on its own, apart from other records."
                )
            ]
        }
    return {}


def objection_filed(*, case: Case, actor: User | None) -> None:
    """Filing marks the disputed records 异议中 at once (docs/domain.md §9.1): the 1-working-day marking budget
    of 《上海市社会信用条例》 art. 36 is met by the filing itself. Runs inside `case_open`'s transaction."""
    for record in _records(case):
        if record.publicity == Publicity.PUBLISHED:
            record_mark_disputed(record=record, actor=actor, case=case)


def objection_release(*, case: Case, actor: User | None, note: str = "") -> None:
    """Undo what an objection that ends without an outcome put on its records: the 异议中 mark comes off and
    the sanctions it suspended apply again. For an objection refused at acceptance (不予受理) or treated as
    withdrawn (补正 unanswered, docs/domain.md §9.10); runs in the caller's transaction."""
    label = _("objection %(n)s ended without an outcome") % {"n": case.number}
    records_undo_marks(case=case, actor=actor, note=note or str(label))
    for record in _records(case):
        # Only an objection suspends a sanction, and a record has one open objection at a time (§9.6).
        for sanction in sanctions_lock(record.sanctions.filter(state=SanctionState.SUSPENDED).order_by("id")):
            sanction_resume(sanction=sanction, actor=actor, case=case, note=label)


def objection_accept(*, case: Case, actor: User, note: str = "") -> Case:
    """受理: the case goes to verification and the sanctions on the disputed records are suspended where the
    rule set's `suspend_sanctions` says so for the record's kind (Harbin §13 「联合惩戒措施在信息核实期间暂不
    执行」; not the court list, 法释〔2017〕7号 art. 11). Raises Conflict (409) when no longer filed."""
    case = transition(case, "accept", field="state", actor=actor, case=case, note=note)
    suspends = case.rule_set.case_rules(case.kind)["suspend_sanctions"]
    records = _records(case)
    for record in records:
        if suspends.get(record.kind, False):
            for sanction in sanctions_lock(
                record.sanctions.filter(state=SanctionState.ACTIVE).order_by("id")
            ):
                sanction_suspend(
                    sanction=sanction, actor=actor, case=case, note=_("objection %(n)s") % {"n": case.number}
                )
    events.publish(
        events.ObjectionAccepted.of(case, provider=records[0].provider.name, due_on=case_answer_due(case))
    )
    return case


def objection_forward(*, case: Case, actor: User, note: str = "") -> None:
    """The self-check found no error of the platform's own: the objection goes to the provider (转送, 2 working
    days, 《上海市社会信用条例》 art. 36). Recorded in the case history; the flow opens the provider's task."""
    records = _records(case)
    providers = sorted({r.provider.code for r in records})
    history_record(
        target=case,
        action="forwarded",
        actor=actor,
        case=case,
        from_state=case.state,
        to_state=case.state,
        note=note,
        data={"providers": providers},
    )
    events.publish(
        events.ObjectionForwarded.of(case, provider=records[0].provider.name, due_on=case_answer_due(case))
    )


# -- outcomes -------------------------------------------------------------------------------------------------


def objection_outcome_errors(
    *, outcome: str, reason: str, data: dict[str, Any], records: Iterable[CreditRecord]
) -> dict[str, list]:
    """Field errors of an outcome before anything is settled (zh-hans / English via gettext).

    - `outcome` must be one of the six (`OBJECTION_OUTCOMES`);
    - `reason` (the subject reads it) is required;
    - `corrected` needs `data["correction"]`, the corrected text of the record; `supplemented` needs
      `data["supplement"]`, what is added to it;
    - `removed_from_list` only for list entries (serious list, court list);
    - `data["sanctions"]`, if given, is a list of sanction ids (public UUIDs) of the case's records.
    """
    errors: dict[str, list] = {}
    if outcome not in OBJECTION_OUTCOMES:
        errors["decision"] = [
            _("“%(outcome)s” is not an objection outcome; choose one of: %(choices)s.")
            % {"outcome": outcome, "choices": ", ".join(OBJECTION_OUTCOMES)}
        ]
        return errors
    if not (reason or "").strip():
        errors["note"] = [_("Give the reason for this decision; the subject will read it.")]
    key = REQUIRED_TEXT.get(Outcome(outcome))
    if key == "correction" and not str(data.get(key) or "").strip():
        errors[key] = [_("Give the corrected text of the record.")]
    if key == "supplement" and not str(data.get(key) or "").strip():
        errors[key] = [_("Give what is added to the record.")]
    records = list(records)
    if outcome == Outcome.REMOVED_FROM_LIST and any(r.kind not in LIST_KINDS for r in records):
        errors["decision"] = [_("Only an entry on a list can be removed from the list.")]
    chosen = data.get("sanctions")
    if chosen is not None:
        known = {str(s.public_id) for r in records for s in r.sanctions.all()}
        if not isinstance(chosen, list) or any(str(s) not in known for s in chosen):
            errors["sanctions"] = [_("Name sanctions of the disputed records only (a list of their ids).")]
    return errors


def _settle_record(
    record: CreditRecord, outcome: str, *, actor: User | None, case: Case, reason: str, data: dict
) -> CreditRecord:
    """The record's side of an outcome. Records no longer published (ended, deleted or shielded meanwhile) keep
    their state: there is nothing left to correct on the public record."""
    if record.publicity not in (Publicity.PUBLISHED, Publicity.DISPUTED):
        return record
    if outcome == Outcome.DELETED:
        return record_delete_as_wrong(record=record, actor=actor, case=case, note=reason)
    if outcome in (Outcome.PUBLICATION_STOPPED, Outcome.REMOVED_FROM_LIST):
        return record_stop_publication_as_wrong(
            record=record, actor=actor, case=case, note=reason, action=str(outcome)
        )
    if outcome == Outcome.CORRECTED:
        record = record_correct(
            record=record, summary=data["correction"], actor=actor, case=case, note=reason
        )
    elif outcome == Outcome.SUPPLEMENTED:
        record = record_supplement(
            record=record, addition=data["supplement"], actor=actor, case=case, note=reason
        )
    if record.publicity == Publicity.DISPUTED:  # upheld, corrected, supplemented: the record stays, unmarked
        record = record_clear_dispute(record=record, actor=actor, case=case, note=reason)
    return record


def _settle_sanctions(
    record: CreditRecord, outcome: str, *, actor: User | None, case: Case, label: str, chosen: set[str] | None
) -> None:
    """`upheld`: suspended sanctions apply again. Every other outcome revokes the sanctions that rested on the
    wrong part: all of them where the record no longer stands (deleted, publication stopped, removed from the
    list); for `corrected` / `supplemented` those `chosen` (all when nobody chose), the others apply again."""
    in_force = sanctions_lock(
        record.sanctions.filter(state__in=[SanctionState.ACTIVE, SanctionState.SUSPENDED]).order_by("id")
    )
    for sanction in in_force:
        wrong = outcome != Outcome.UPHELD and (chosen is None or str(sanction.public_id) in chosen)
        if wrong:
            sanction_revoke(sanction=sanction, actor=actor, case=case, note=label)
        elif sanction.state == SanctionState.SUSPENDED:
            sanction_resume(sanction=sanction, actor=actor, case=case, note=label)


def objection_settle(
    *, case: Case, outcome: str, actor: User | None, reason: str, data: dict[str, Any] | None = None
) -> list[CreditRecord]:
    """Settle record, 异议中 mark and sanctions for an objection outcome — the one place that does it, for an
    objection's own steps (self-check, verification, the court's review) and for a review (复核) of its result.

    Arguments:
        case: the objection (or review) case; its records are settled. It is not closed here: the caller
            concludes it (`objection_decide` for an objection).
        outcome: an `Outcome` value among `OBJECTION_OUTCOMES` (《浙江省公共信用信息管理条例》 art. 30).
        actor: who decided (None for a system action).
        reason: the reason the subject reads; written to every history row.
        data: `correction` (str, required for `corrected`): the record's corrected text;
            `supplement` (str, required for `supplemented`): what is added to the record;
            `sanctions` (optional list of sanction public ids): for `corrected` / `supplemented`, the
            sanctions that rested on the wrong part (all in force when absent).

    Effects per outcome (docs/domain.md §9.2), each with its history row and domain event:
        upheld — the mark is removed, the record stays published, suspended sanctions apply again;
        corrected / supplemented — the record's text is corrected / completed and stays published, unmarked;
        deleted — the record is deleted (factual error);
        publication_stopped / removed_from_list — the record is no longer published (stays on file);
        every outcome but upheld — the sanctions on the wrong part are revoked and the subject's reputation is
        restored (a `reputation_restored` history row on the case; Harbin §13).
    Records already ended, deleted or shielded keep their state (their sanctions are still settled).

    Raises ValidationError keyed by field (`decision`, `note`, `correction`, `supplement`, `sanctions`) before
    anything changes, and Conflict (409) when a record or sanction changed meanwhile. Runs in the caller's
    transaction. Returns the case's records as it locked them (by id), before their settlement.
    """
    data = data or {}
    # Every record gets its outcome: locked at once, with their chains' heads (records before sanctions,
    # the order the other paths lock in).
    records = lock_rows(case.records.order_by("id"))
    errors = objection_outcome_errors(outcome=outcome, reason=reason, data=data, records=records)
    if errors:
        raise ValidationError(errors)
    label = _("objection %(n)s: %(outcome)s") % {"n": case.number, "outcome": Outcome(outcome).label}
    chosen = {str(s) for s in data["sanctions"]} if data.get("sanctions") is not None else None
    for record in records:
        record = _settle_record(record, outcome, actor=actor, case=case, reason=reason, data=data)
        _settle_sanctions(record, outcome, actor=actor, case=case, label=label, chosen=chosen)
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
            data={"outcome": str(outcome)},
        )
    return records


def objection_decide(
    *,
    case: Case,
    actor: User,
    outcome: str,
    reason: str,
    data: dict[str, Any] | None = None,
    self_check: bool = False,
) -> Case:
    """Decide an objection: settle it (`objection_settle`) and close the case with the outcome's notice.

    `self_check`: the credit office decides at its self-check, where only the rule set's
    `self_check_outcomes` (the platform's own errors) are allowed. Raises ValidationError as
    `objection_settle`, and Conflict (409) when the case is no longer under verification.
    """
    rules = case.rule_set.case_rules(case.kind)
    if self_check and outcome not in rules.get("self_check_outcomes", []):
        raise ValidationError(
            {
                "decision": _(
                    "The credit office settles only its own errors at the self-check (%(choices)s); "
                    "forward the objection to the provider."
                )
                % {"choices": ", ".join(rules.get("self_check_outcomes", []))}
            }
        )
    records = objection_settle(case=case, outcome=outcome, actor=actor, reason=reason, data=data)
    decider = case.receiving_office if self_check else records[0].provider
    return case_conclude(
        case=case,
        actor=actor,
        outcome=outcome,
        reason=reason,
        event=f"objection_{outcome}",
        via="close",
        data={"self_check": True} if self_check else None,
        provider=decider.name,
    )


def objection_verify(*, case: Case, actor: User, outcome: str, reason: str, correction: str = "") -> Case:
    """The provider's verification (kept for callers of the three-outcome version): `objection_decide`."""
    return objection_decide(
        case=case, actor=actor, outcome=outcome, reason=reason, data={"correction": correction}
    )
