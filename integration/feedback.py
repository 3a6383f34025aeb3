"""Execution feedback (执行反馈): implementing departments report what they did with a sanction on their side.

Each report is a `SanctionFeedback` row and an event in the sanction's history (with our state unchanged as
from/to, so "was it in force on day D?" still reads our own state). `SanctionExecution` compares the two
states; when they disagree for longer than the rule set's `escalation.feedback_mismatch_days` working days,
the mismatch sweep tells the implementer's head and the credit office — once per mismatch — as a late task is.
"""

import functools
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from casework import bulk, calendar, events, txmemo
from casework.models import Department, Role, Sanction, User
from casework.rules import active_rules
from casework.services.cases import receiving_office_for
from casework.services.history import history_record, history_record_many
from casework.services.transitions import lock

from .models import SanctionExecution, SanctionFeedback, TheirState

# What the implementer should report for each of our states.
EXPECTED = {
    "active": TheirState.APPLIED,
    "suspended": TheirState.SUSPENDED,
    "lifted": TheirState.LIFTED,
    "revoked": TheirState.LIFTED,
}


def mismatch_escalation_day(since: date, days: int) -> calendar.Derived:
    """The day a mismatch that began on `since` escalates: `days` working days later, provisional (an
    estimate) where that reaches a year without a calendar; re-dated when the year is entered."""
    return calendar.derive_working_days(since, days)


def execution_compare(sanction: Sanction) -> SanctionExecution:
    """Re-compare our state with theirs after either changed (the caller holds the sanction's lock)."""
    # The caller holds the sanction's lock, so nobody else creates the row meanwhile; a new one is written once.
    execution = SanctionExecution.objects.filter(sanction=sanction).first()
    created = execution is None
    if execution is None:
        execution = SanctionExecution(sanction=sanction)
    before = _compared(execution)
    _compare(execution, sanction, timezone.now(), _mismatch_days)
    if created:
        execution.save(force_insert=True)
    elif _compared(execution) != before:  # most changes leave the comparison as it was: no write
        execution.save(update_fields=list(COMPARED))
    return execution


COMPARED = ("mismatch_since", "escalate_on", "escalate_on_provisional", "escalated_at")


def _compared(execution: SanctionExecution) -> tuple:
    return tuple(getattr(execution, name) for name in COMPARED)


def _mismatch_days() -> int:
    return active_rules()["escalation"]["feedback_mismatch_days"]


def _compare(execution: SanctionExecution, sanction: Sanction, now, days: Callable[[], int]) -> None:
    matches = execution.their_state == EXPECTED[sanction.state]
    if matches:
        execution.mismatch_since = execution.escalate_on = execution.escalated_at = None
        execution.escalate_on_provisional = False
    elif execution.mismatch_since is None:
        execution.mismatch_since = now
        escalate = mismatch_escalation_day(timezone.localdate(now), days())
        execution.escalate_on, execution.escalate_on_provisional = escalate.date, escalate.provisional
        execution.escalated_at = None


def executions_compare(sanctions: list[Sanction]) -> None:
    """`execution_compare` for many sanctions (the caller holds their locks): executions read in one query,
    the missing ones created in one insert, the changed comparisons written in one update."""
    by_pk = {sanction.pk: sanction for sanction in sanctions}
    if not by_pk:
        return
    executions = {e.sanction_id: e for e in SanctionExecution.objects.filter(sanction_id__in=by_pk)}
    before = {pk: _compared(e) for pk, e in executions.items()}
    missing = {pk: SanctionExecution(sanction_id=pk) for pk in by_pk if pk not in executions}
    now, days = timezone.now(), functools.cache(_mismatch_days)  # the rule set read once, if at all
    for pk, sanction in by_pk.items():
        _compare(executions.get(pk) or missing[pk], sanction, now, days)
    SanctionExecution.objects.bulk_create(missing.values())
    changed = [e for pk, e in executions.items() if _compared(e) != before[pk]]
    bulk.update(SanctionExecution, COMPARED, [(e.pk, *_compared(e)) for e in changed])


def sanction_changed(event: events.SanctionEvent) -> list:
    """Subscriber to every sanction event (integration/apps.py): push the change, in the publishing
    transaction, and start or end a state mismatch. Returns the deliveries queued."""
    from .push import push_sanction_event

    sanction = txmemo.row(
        Sanction, event.sanction_id, related=("record__subject", "record__provider", "implementer")
    )
    deliveries = push_sanction_event(
        sanction=sanction, name=event.change, case_number=event.case_number, note=event.note
    )
    if (
        event.change != "create"
    ):  # a new measure has nothing to disagree about until we change it or they report
        execution_compare(sanction)
    return deliveries


def sanction_changed_many(published: list[events.SanctionEvent]) -> list:
    """`sanction_changed` for many events (`events.publish_many`, e.g. the list-exit expiry sweep): the
    sanctions read in one query, the pushes in one insert, the comparisons in one update."""
    from .push import push_sanction_events

    ids = {event.sanction_id for event in published}
    # The rows the publishing unit of work holds locked (with these relations) are not read again.
    sanctions = {pk: row for pk in ids if (row := txmemo.held_row(Sanction, pk)) is not None}
    if len(sanctions) < len(ids):
        sanctions |= Sanction.objects.select_related(
            "record__subject", "record__provider", "implementer"
        ).in_bulk(ids - set(sanctions))
    deliveries = push_sanction_events(
        [(sanctions[e.sanction_id], e.change, e.case_number, e.note) for e in published]
    )
    executions_compare([sanctions[e.sanction_id] for e in published if e.change != "create"])
    return deliveries


@transaction.atomic
def feedback_report(
    *,
    sanction: Sanction,
    state: str,
    on: date,
    reference: str,
    reported_by: str,
    department: Department,
    user: User | None,
    signed: bool,
) -> SanctionFeedback:
    sanction = lock(sanction)
    feedback = SanctionFeedback.objects.create(
        sanction=sanction,
        state=state,
        on=on,
        reference=reference,
        reported_by=reported_by,
        department=department,
        user=user,
        signed=signed,
    )
    execution, _created = SanctionExecution.objects.get_or_create(sanction=sanction)
    before = execution.their_state
    execution.their_state, execution.their_state_on, execution.their_reference = state, on, reference
    execution.save(update_fields=["their_state", "their_state_on", "their_reference"])
    history_record(
        target=sanction,
        action="execution_feedback",
        actor=user,
        from_state=sanction.state,
        to_state=sanction.state,
        note=f"{department.name}: {state} ({on.isoformat()}, {reference}, {reported_by})",
        data={
            "their_state": {"before": before or None, "after": state},
            "on": on.isoformat(),
            "reference": reference,
            "reported_by": reported_by,
            "department": department.code,
            "signed": signed,
        },
    )
    execution_compare(sanction)
    return feedback


class _Recipients:
    """Who hears of a mismatch (the implementer's heads, or its reviewers if it has no head, and the credit
    office receiving the subject's requests), memoised for one sweep: mismatches share a few departments."""

    def __init__(self) -> None:
        self._members: dict[tuple[int, str], list[User]] = {}
        self._offices: dict[str, Department | None] = {}

    def _of(self, department: Department, role: str) -> list[User]:
        if (department.pk, role) not in self._members:
            self._members[department.pk, role] = list(department.members.filter(role=role, is_active=True))
        return self._members[department.pk, role]

    def for_sanction(self, sanction: Sanction) -> list[User]:
        subject = sanction.record.subject
        if subject.division not in self._offices:  # the office depends on the division alone
            self._offices[subject.division] = receiving_office_for(subject)
        office = self._offices[subject.division]
        heads = self._of(sanction.implementer, Role.SUPERVISOR)
        officers = self._of(office, Role.SUPERVISOR) if office else []
        if not heads:  # no head registered: the department's reviewers hear it instead of no one
            heads = self._of(sanction.implementer, Role.REVIEWER)
        return sorted({u.pk: u for u in heads + officers}.values(), key=lambda u: u.pk)


def feedback_mismatch_sweep(*, batch: int = 500) -> int:
    """Beat: escalate every mismatch whose day has come, once. Rows are claimed with SKIP LOCKED and checked
    again under the lock, so concurrent sweeps escalate each mismatch once.

    A batch is set-based: the sanctions locked in one query, one insert of history events (chains computed
    in one pass), the messages in one insert, one update of the escalated executions."""
    escalated = 0
    today = timezone.localdate()
    recipients = _Recipients()
    while True:
        with transaction.atomic():
            executions = list(
                SanctionExecution.objects.select_for_update(skip_locked=True, of=("self",))
                .filter(escalated_at__isnull=True, escalate_on__lte=today, mismatch_since__isnull=False)
                .order_by("escalate_on", "id")[:batch]
            )
            if not executions:
                return escalated
            _escalate_batch(executions, recipients)
            escalated += len(executions)


def _escalate_batch(executions: list[SanctionExecution], recipients: _Recipients) -> None:
    # The sanctions are locked (waiting, in id order, as `lock` would one by one) before they are read.
    sanctions = {
        sanction.pk: sanction
        for sanction in Sanction.objects.select_for_update(of=("self",))
        .filter(pk__in={e.sanction_id for e in executions})
        .select_related("implementer", "record__subject")
        .order_by("pk")
    }
    rules = active_rules()
    days = rules["escalation"]["feedback_mismatch_days"]
    mismatches, history = [], []
    now = timezone.now()
    for execution in executions:
        sanction = sanctions[execution.sanction_id]
        mismatch = events.SanctionFeedbackMismatch(
            sanction_id=sanction.pk,
            sanction=str(sanction.public_id),
            measure=sanction.measure,
            department=sanction.implementer.name,
            our_state=str(sanction.get_state_display()),
            their_state=str(execution.get_their_state_display()) if execution.their_state else "—",
            mismatch_since=execution.mismatch_since,
            since=timezone.localdate(execution.mismatch_since),
            days=days,
            recipient_ids=tuple(user.pk for user in recipients.for_sanction(sanction)),
        )
        mismatches.append(mismatch)
        history.append(
            {
                "target": sanction,
                "action": "feedback_mismatch_escalated",
                "actor": None,
                "from_state": sanction.state,
                "to_state": sanction.state,
                "note": f"{mismatch.department}: {mismatch.their_state} ≠ {mismatch.our_state}",
                "data": {
                    "their_state": execution.their_state or None,
                    "mismatch_since": execution.mismatch_since.isoformat(),
                    "days": days,
                    "rule_set": rules["version"],
                },
            }
        )
        execution.escalated_at = now
    events.publish_many(mismatches)
    history_record_many(history)
    bulk.update(SanctionExecution, ("escalated_at",), [(e.pk, e.escalated_at) for e in executions])


def feedback_redate(*, year: int, actor: User | None, revision) -> tuple[list[dict], int]:
    """Re-date the escalation day of every open mismatch whose count may reach `year` (after the year's
    calendar was entered or corrected; casework.services.redating calls this, in its Celery task)."""
    from casework.services.redating import Dated, depends_on, moved_entry

    pending = list(
        SanctionExecution.objects.filter(escalated_at__isnull=True, mismatch_since__isnull=False)
        .filter(depends_on(year, "escalate_on", "escalate_on_provisional", "mismatch_since__date"))
        .order_by("pk")
        .values_list("pk", "sanction_id")
    )
    days = active_rules()["escalation"]["feedback_mismatch_days"]
    moved = []
    for pk, sanction_pk in pending:
        with transaction.atomic():
            sanction = lock(Sanction(pk=sanction_pk))
            execution = SanctionExecution.objects.select_for_update().get(pk=pk)
            if execution.escalated_at or execution.mismatch_since is None:
                continue
            before: Dated = (execution.escalate_on, execution.escalate_on_provisional)
            day = mismatch_escalation_day(timezone.localdate(execution.mismatch_since), days)
            after: Dated = (day.date, day.provisional)
            if before == after:
                continue
            execution.escalate_on, execution.escalate_on_provisional = after
            execution.save(update_fields=["escalate_on", "escalate_on_provisional"])
            history_record(
                target=sanction,
                action="feedback_escalation_redated",
                actor=actor,
                from_state=sanction.state,
                to_state=sanction.state,
                note=f"{before[0]} → {after[0]}",
                data={
                    "calendar_year": year,
                    "calendar_revision": revision.pk,
                    "escalate_on": {"from": str(before[0]), "to": str(after[0])},
                    "was_provisional": before[1],
                    "provisional": after[1],
                },
            )
            moved.append(moved_entry("feedback", before, after, sanction=str(sanction.public_id)))
    return moved, len(pending)
