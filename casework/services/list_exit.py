"""Leaving the serious-dishonesty list (黑名单退出) and the court list (失信被执行人).

* Early exit on application (SAMR Order 44: after 1 year, obligations performed, harm removed, no heavier
  penalty since): the provider verifies, the intended removal is published for the rule set's publicity period
  (公示, 5 working days by default); an objection by anyone during it opens an objection case that holds the
  exit until it is decided; then the provider decides; removal lifts every sanction.
* Publicity is a clock (docs/domain.md §9.5): an objection's hold stops it and keeps the working days left
  (`Case.publicity_days`); an unfounded objection restarts it with those days from the day after the decision.
  The objector is the objection's party; the listed subject hears that an objection exists and its result,
  never who objected or why (the hold is written without the objector as actor).
* Automatic exit when the listing period ends: `list_exit_expire_due`, an idempotent sweep.
* Court list: deletion within 3 working days once a deletion ground is recorded (法释〔2017〕7号 art. 10).
"""

import datetime
from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casework import bulk, calendar, events, workflows
from casework.datemath import required_date
from casework.exceptions import Conflict
from casework.models import (
    OPEN_CASE_STATES,
    Case,
    CaseKind,
    CaseState,
    CreditRecord,
    MaterialPurpose,
    Outcome,
    Publicity,
    RecordKind,
    Sanction,
    SanctionState,
    SuspensionReason,
    User,
)
from casework.rules import active_rule_set

from .cases import _inspect_all, _store_materials
from .conclusion import case_conclude, records_release
from .deadlines import case_deadlines_resume, case_deadlines_suspend, publicity_end
from .filing import case_open
from .history import history_record_many
from .notify import sanction_event
from .transitions import lock, transition

# The flow node that waits out the publicity period (flows/list_exit.py).
PUBLICITY_NODE = "publicity"
OBJECTION_FLOW = "list_exit_objection"


def list_exit_accept(*, case: Case, actor: User, note: str = "") -> Case:
    case = transition(case, "accept", field="state", actor=actor, case=case, note=note)
    provider = case.records.order_by("id")[0].provider
    events.publish(events.ListExitAccepted.of(case, provider=provider.name))
    return case


def list_exit_reject(*, case: Case, actor: User | None, reason: str) -> Case:
    return case_conclude(
        case=case, actor=actor, outcome=Outcome.REJECTED, reason=reason, event="list_exit_rejected"
    )


def list_exit_remove(*, case: Case, actor: User | None, reason: str) -> Case:
    records_release(case=case, actor=actor, note=str(_("list exit %(n)s") % {"n": case.number}))
    return case_conclude(
        case=case,
        actor=actor,
        outcome=Outcome.REMOVED,
        reason=reason,
        event="list_exit_removed",
        platform=True,
    )


def list_exit_verify(*, case: Case, actor: User, decision: str, note: str) -> Case:
    """The provider's verification; a favourable one publishes the intended removal (公示)."""
    if decision == "reject":
        return list_exit_reject(case=case, actor=actor, reason=note)
    days = case.rule_set.case_rules(case.kind)["publicity_days"]
    start = timezone.localdate()
    end = publicity_end(start, days)
    until = end.date
    case = transition(
        case,
        "open_publicity",
        field="state",
        actor=actor,
        case=case,
        note=note,
        data={"publicity_until": until.isoformat(), "days": days, "provisional": end.provisional},
    )
    _publicity_run(case, start=start, days=days)
    # The legal clock excludes the publicity period (docs/domain.md §9.9): it stops
    # here and runs again when the period ends, an objection's hold included.
    case_deadlines_suspend(case=case, reason=SuspensionReason.PUBLICITY, note=until.isoformat())
    events.publish(events.ListExitPublicity.of(case, publicity_until=until))
    return case


PUBLICITY_FIELDS = ["publicity_from", "publicity_until", "publicity_provisional", "publicity_days"]


def _publicity_run(case: Case, *, start: datetime.date, days: int) -> datetime.date:
    """Run the publicity clock for `days` working days after `start` (Beijing dates): the period covers the
    working days in (start, end]; the sweep ends it the day after `end`. Returns `end`."""
    end = publicity_end(start, days)
    case.publicity_from, case.publicity_until = start, end.date
    case.publicity_provisional, case.publicity_days = end.provisional, days
    case.save(update_fields=PUBLICITY_FIELDS)
    return end.date


def publicity_days_left(case: Case, on: datetime.date) -> int:
    """Working days of the publicity period still to run when a hold stops it on `on` (a Beijing date).

    The days before `on` are used; `on` itself and every working day up to `publicity_until` are given back,
    so an objection filed on the first day keeps the whole period and one filed on the last day keeps one day.
    Counted on the working-day calendar the period was set on (holidays do not count). Raises ValueError when
    the period ended before `on` (nothing is left to hold).
    """
    until = case.publicity_until
    if until is None or until < on:
        raise ValueError(f"publicity of {case.number} is not running on {on}")
    used_until = on - datetime.timedelta(days=1)
    if case.publicity_from is not None:
        used_until = max(used_until, case.publicity_from)  # the opening day is not a day of the period
    left, _provisional = calendar.derive_working_days_between(used_until, until)
    return left


def _publicity_hold(case: Case, on: datetime.date) -> int:
    """Stop the publicity clock on `on`; the working days left wait in `publicity_days`."""
    # Never dated (data from before the dates were stored): all of it is left.
    if case.publicity_until is None:
        left = case.publicity_days or case.rule_set.case_rules(case.kind)["publicity_days"]
    else:
        left = publicity_days_left(case, on)
    case.publicity_from = case.publicity_until = None
    case.publicity_provisional, case.publicity_days = False, left
    case.save(update_fields=PUBLICITY_FIELDS)
    return left


def _publicity_resume(case: Case, on: datetime.date) -> datetime.date:
    """Restart the publicity clock held since an objection: the days left run after `on` (the decision day)."""
    left = case.publicity_days
    if left is None:  # held before the clock kept its budget: the whole period again, never less
        left = case.rule_set.case_rules(case.kind)["publicity_days"]
    return _publicity_run(case, start=on, days=left)


def _end_publicity(case: Case, actor: User | None) -> Case:
    case = transition(case, "end_publicity", field="state", actor=actor, case=case)
    case_deadlines_resume(case=case)
    workflows.resume(case, PUBLICITY_NODE)
    return case


def list_exit_publicity_sweep(*, batch: int = 100) -> int:
    """Beat: every exit whose publicity period is over (and not held by an objection) goes to its decision.

    Cases are claimed with SKIP LOCKED and the state is checked again under the lock, so two sweeps at once
    move each case once.
    """
    moved = 0
    today = timezone.localdate()
    while True:
        with transaction.atomic():
            cases = list(
                Case.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(kind=CaseKind.LIST_EXIT, state=CaseState.PUBLICITY, publicity_until__lt=today)
                .order_by("publicity_until", "id")[:batch]
            )
            for case in cases:
                _end_publicity(case, None)
        moved += len(cases)
        if len(cases) < batch:
            return moved


@transaction.atomic
def list_exit_objection_file(
    *, exit_case: Case, actor: User, statement: str, materials: Sequence = ()
) -> Case:
    """「公示期间」an objection by anyone: it opens an objection case and holds the exit until it is decided.

    The objector (`actor`) is the objection's party: it is told, it follows the case (selectors/cases.py) and
    its evidence (`materials`, uploads) is stored with it. The exit's hold is written without an actor, so the
    listed subject reads that an objection exists, not who filed it (docs/domain.md §9.5).

    Errors: ValidationError (400) on `statement` (empty) or `materials` (a bad file), every field at once;
    Conflict (409, `not_in_publicity`) when the exit is not in a running publicity period.
    """
    errors: dict[str, list] = {}
    if not (statement or "").strip():
        errors["statement"] = [_("Say why the subject should not leave the list.")]
    try:
        inspected = _inspect_all(materials)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    exit_case = lock(exit_case)
    today = timezone.localdate()
    if exit_case.state != CaseState.PUBLICITY or (
        exit_case.publicity_until is not None and exit_case.publicity_until < today
    ):
        raise Conflict(
            _("List exit %(n)s is not in its publicity period (%(state)s).")
            % {"n": exit_case.number, "state": exit_case.get_state_display()},
            code="not_in_publicity",
        )

    def hold_and_tell(objection: Case) -> None:
        _store_materials(objection, materials, inspected, MaterialPurpose.OBJECTION, actor)
        left = _publicity_hold(exit_case, today)
        transition(
            exit_case,
            "hold",
            field="state",
            actor=None,  # the objector's identity is not the listed subject's business (§9.5)
            case=exit_case,
            note=objection.number,  # that an objection exists, and which: the listed subject may know this
            data={"objection": objection.number, "publicity_days_left": left},
        )
        events.publish(events.ListExitHeld.of(exit_case, objection=objection.number))
        provider = exit_case.records.order_by("id")[0].provider
        events.publish(
            events.ExitObjectionFiled.of(
                objection, exit=exit_case.number, provider=provider.name, recipient_ids=(actor.pk,)
            )
        )

    # The objector signs no credit commitment: it objects to someone else's exit (no fabricated signature).
    return case_open(
        kind=CaseKind.OBJECTION,
        subject=exit_case.subject,
        records=list(exit_case.records.all()),
        statement=statement,
        actor=actor,
        office=exit_case.receiving_office,
        rule_set=active_rule_set(),
        commitment_signed_at=None,
        flow=OBJECTION_FLOW,
        history_data={"objects_to": exit_case.number},
        before_start=hold_and_tell,
        objects_to=exit_case,
    )


def exit_objection_decide(*, case: Case, actor: User, decision: str, reason: str) -> Case:
    """The provider decides the objection; a founded one refuses the exit, an unfounded one restarts the
    exit's publicity clock with the working days the hold left (docs/domain.md §9.5)."""
    outcome = Outcome.OBJECTION_FOUNDED if decision == "founded" else Outcome.OBJECTION_UNFOUNDED
    objected = case.objects_to
    assert objected is not None  # an exit objection always objects to an exit case
    case = transition(case, "accept", field="state", actor=actor, case=case)
    # The objector is told here; the listed subject learns the result through its own exit case.
    case = case_conclude(case=case, actor=actor, outcome=outcome, reason=reason, event=None, via="close")
    events.publish(
        events.ExitObjectionDecided.of(
            case,
            exit=objected.number,
            outcome=outcome,
            reason=reason,
            recipient_ids=(case.filed_by_id,),
        )
    )
    exit_case = lock(objected)
    if outcome == Outcome.OBJECTION_FOUNDED:
        list_exit_reject(case=exit_case, actor=actor, reason=reason)
        workflows.resume(exit_case, PUBLICITY_NODE)  # if the period is over, the flow waits there: end it
        return case
    until = _publicity_resume(exit_case, timezone.localdate())
    exit_case = transition(
        exit_case,
        "release_hold",
        field="state",
        actor=actor,
        case=exit_case,
        note=case.number,  # the objection that held it, now found unfounded
        data={
            "objection": case.number,
            "outcome": outcome,
            "publicity_days_left": exit_case.publicity_days,
            "publicity_until": until.isoformat(),
        },
    )
    events.publish(
        events.ListExitResumed.of(
            exit_case,
            objection=case.number,
            days_left=exit_case.publicity_days or 0,
            publicity_until=until,
        )
    )
    return case


def list_exit_decide(*, case: Case, actor: User, decision: str, note: str) -> Case:
    if decision == "remove":
        return list_exit_remove(case=case, actor=actor, reason=note)
    return list_exit_reject(case=case, actor=actor, reason=note)


def court_deletion_decide(*, case: Case, actor: User, decision: str, note: str) -> Case:
    """法释〔2017〕7号 art. 10: on a recorded ground the court deletes the listing within 3 working days."""
    if decision == "delete":
        return list_exit_remove(case=case, actor=actor, reason=note)
    return list_exit_reject(case=case, actor=actor, reason=note)


def list_exit_expire_due(*, batch: int = 100) -> int:
    """Beat: end every listing whose period is over, once, however many sweeps run at the same moment.

    Rows are claimed in batches with SKIP LOCKED (a concurrent sweep takes the others) and their state is read
    under the lock. A record with a case still open is left for the case to finish; the next sweep after it
    takes the record if it is still listed. A batch is set-based: the records' active sanctions locked in one
    query, one update each of records and sanctions, one insert of their history events (chains computed in
    one pass), and the events published together (`events.publish_many`).
    """
    today = timezone.localdate()
    expired = 0
    while True:
        with transaction.atomic():
            records = list(
                CreditRecord.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(
                    kind__in=[RecordKind.SERIOUS_LIST, RecordKind.COURT_DISHONEST],
                    publicity=Publicity.PUBLISHED,
                    listed_until__lt=today,
                )
                .exclude(cases__state__in=OPEN_CASE_STATES)
                .select_related("subject")
                .order_by("listed_until", "id")[:batch]
            )
            _expire_batch(records)
        expired += len(records)
        if len(records) < batch:
            return expired


def _expire_batch(records: list[CreditRecord]) -> None:
    """End the records' publication and lift every measure in force because of them (as `transition` and
    `sanctions_lift_all` do one by one: the same rows, history events and events)."""
    if not records:
        return
    history: list[dict] = []
    notes: dict[int, str] = {}
    for record in records:
        notes[record.pk] = str(_("listing period ended on %(d)s") % {"d": record.listed_until})
        record.end_publication()  # the FSM's check: only a published record (read under the lock) ends
        history.append(
            {
                "target": record,
                "action": "listing_expired",
                "actor": None,
                "from_state": Publicity.PUBLISHED,
                "to_state": record.publicity,
                "note": notes[record.pk],
            }
        )
    sanctions = list(
        Sanction.objects.select_for_update(of=("self",))
        .filter(record__in=records, state=SanctionState.ACTIVE)
        .select_related("implementer")
        .order_by("id")
    )
    staff: dict[int, tuple[int, ...]] = {}
    published: list[events.Event] = []
    for sanction in sanctions:
        note = notes[sanction.record_id]
        sanction.lift()
        history.append(
            {
                "target": sanction,
                "action": "lift",
                "actor": None,
                "from_state": SanctionState.ACTIVE,
                "to_state": sanction.state,
                "note": note,
            }
        )
        published.append(sanction_event("lift", sanction, case=None, note=note, staff=staff))
    bulk.update(CreditRecord, ("publicity",), [(record.pk, record.publicity) for record in records])
    bulk.update(Sanction, ("state",), [(sanction.pk, sanction.state) for sanction in sanctions])
    history_record_many(history)
    published += [
        events.ListExitExpired(
            subject_id=record.subject_id,
            record_id=record.pk,
            subject=record.subject.name,
            summary=record.summary,
            listed_until=required_date(record.listed_until),
        )
        for record in records
    ]
    events.publish_many(published)
