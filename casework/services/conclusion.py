"""The one way a case ends, whatever its kind: outcome, reason and closing time, the transition with its
history row, the result pushed where the rules push it, and the conclusion notice to the subject.

Also the two effects conclusions share: releasing the case's records (end of publication or shielding, every
sanction lifted) and queueing the result for the national credit platform.
"""

from django.utils import timezone

from casework import events
from casework.models import Case, CreditRecord, User

from .deadlines import case_deadlines_resume
from .history import history_record
from .notify import case_notify_subject, staff_ids
from .records import record_end_publication, record_end_shielded
from .sanctions import sanctions_lift_all
from .transitions import transition


def case_conclude(
    *,
    case: Case,
    actor: User | None,
    outcome: str,
    reason: str,
    event: str | None,
    via: str = "conclude",
    data: dict | None = None,
    platform: bool = False,
    **context,
) -> Case:
    """Close `case` with `outcome` (an `Outcome` value; "" for 不予受理) and the reason the subject reads.

    `via` is the case transition that ends it: `conclude` (repair, list exit, bankruptcy), `close` (an
    objection's verification), `refuse` (不予受理 at acceptance). `platform` queues the result for the national
    platform (results that change a record). `event` is the subject's conclusion notice (None where the
    subject is not the one told: an objection against a list exit); `context` goes into it besides `reason`.
    Raises Conflict (409) when the case's state no longer allows `via`.
    """
    case = transition(
        case,
        via,
        field="state",
        actor=actor,
        case=case,
        note=reason,
        data={"outcome": outcome, **(data or {})} if outcome else data,
    )
    case.outcome, case.decision_reason, case.closed_at = outcome, reason, timezone.now()
    case.save(update_fields=["outcome", "decision_reason", "closed_at"])
    # A case decided while its clocks stood still (a list exit refused during its publicity hold) does not
    # stay "paused" for ever: the pause ends today, then the flow's end meets the clocks.
    case_deadlines_resume(case=case)
    if platform:
        platform_queue(case=case, actor=actor)
    if event is not None:
        case_notify_subject(case, event, reason=reason, **context)
    return case


def _records(case: Case) -> list[CreditRecord]:
    return list(case.records.order_by("id"))


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
    while office.parent is not None:
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
