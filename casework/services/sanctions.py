"""The sanction state machine (invariant 5), each change with its history event and a message to the
implementing department, which has to stop or resume applying the measure on its side."""

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from casework import events, policies
from casework.models import Case, CreditRecord, Department, Sanction, User
from casework.record_rules import check, sanction_errors

from .history import history_record, stream_of
from .notify import sanction_event, staff_ids_read
from .transitions import lock_rows, transition


@transaction.atomic
def sanction_create(
    *,
    record: CreditRecord,
    measure: str,
    implementer: Department,
    actor: User,
    effective_from: date | None = None,
) -> Sanction:
    """Add a measure to a record. It binds from `effective_from` (a Beijing date; default the record's
    decision date), not from the day it is entered (docs/domain.md §9.12); a date before the
    decision is refused (ValidationError on `effective_from`). Added by an administrator or a reviewer of the
    record's provider (`policies.ensure_may_add_sanction`, issue 12). Pushed to the platforms."""
    policies.ensure_may_add_sanction(actor, record)
    check(sanction_errors(measure=measure))
    effective_from = effective_from or record.decided_on
    if effective_from < record.decided_on:
        raise ValidationError(
            {
                "effective_from": [
                    _("A sanction cannot bind before its record's decision (%(day)s).")
                    % {"day": record.decided_on.isoformat()}
                ]
            }
        )
    sanction = Sanction.objects.create(
        record=record, measure=measure, implementer=implementer, effective_from=effective_from
    )
    history_record(
        new_stream=True,
        target=sanction,
        action="created",
        actor=actor,
        to_state=sanction.state,
        data={
            "record": str(record.public_id),
            "measure": measure,
            "implementer": implementer.code,
            "effective_from": effective_from.isoformat(),
        },
    )
    events.publish(sanction_event("create", sanction, case=None))
    return sanction


def sanctions_lock(rows: "QuerySet[Sanction]") -> list[Sanction]:
    """Lock the sanctions of `rows` (in its order) before changing them one by one: one query for the rows
    with their records and implementers, one for their history heads, one for their implementers' staff
    (whom each change tells), all kept for the unit of work."""
    locked = lock_rows(rows)
    staff_ids_read({sanction.implementer for sanction in locked})
    return locked


def _change(sanction: Sanction, name: str, *, actor: User | None, case: Case | None, note: str) -> Sanction:
    sanction = transition(sanction, name, field="state", actor=actor, case=case, note=note)
    # The implementer's staff are told; the platforms get the push; their reported state is compared again.
    # Written with the unit's other messages and pushes, in a few statements before its commit.
    events.publish_at_end(sanction_event(name, sanction, case=case, note=note))
    return sanction


def sanction_suspend(*, sanction: Sanction, actor: User | None, case: Case, note: str = "") -> Sanction:
    return _change(sanction, "suspend", actor=actor, case=case, note=note)


def sanction_resume(*, sanction: Sanction, actor: User | None, case: Case, note: str = "") -> Sanction:
    return _change(sanction, "resume", actor=actor, case=case, note=note)


def sanction_revoke(*, sanction: Sanction, actor: User | None, case: Case, note: str = "") -> Sanction:
    return _change(sanction, "revoke", actor=actor, case=case, note=note)


def sanction_lift(*, sanction: Sanction, actor: User | None, case: Case | None, note: str = "") -> Sanction:
    return _change(sanction, "lift", actor=actor, case=case, note=note)


def sanctions_undo_suspensions(*, case: Case, actor: User | None, note: str = "") -> list[Sanction]:
    """Put back in force the measures `case` suspended (a withdrawn request, docs/domain.md §9.10).

    A measure is resumed only if it is still suspended and its latest suspension was this case's (read from
    its history), so a suspension another case made stays. Returns the measures resumed.
    """
    from casework.models import HistoryEvent, SanctionState

    resumed = []
    suspended = Sanction.objects.filter(record__in=case.records.all(), state=SanctionState.SUSPENDED)
    for sanction in suspended.order_by("id"):
        by = (
            HistoryEvent.objects.filter(stream=stream_of(sanction), action="suspend")
            .order_by("-seq")
            .values_list("case_id", flat=True)
            .first()
        )
        if by == case.pk:
            resumed.append(sanction_resume(sanction=sanction, actor=actor, case=case, note=note))
    return resumed


def sanctions_lift_all(*, record: CreditRecord, actor: User | None, case: Case | None, note: str = "") -> int:
    """Every measure in force because of `record` is lifted, each with its own history event and a message
    to its implementer (Turpan §16: 「修复结果生效后…失信惩戒措施应予以解除」)."""
    from casework.models import SanctionState

    lifted = 0
    for sanction in sanctions_lock(record.sanctions.filter(state=SanctionState.ACTIVE).order_by("id")):
        sanction_lift(sanction=sanction, actor=actor, case=case, note=note)
        lifted += 1
    return lifted
