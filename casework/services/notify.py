"""Payload helpers for the domain events the services publish (casework/events/).

The services say *what happened* and *who is responsible* (the subject, a department's staff, the people the
escalation ladder names); the subscribers decide how it is told. These helpers keep that arithmetic out of
the services' call lines.
"""

import typing
from collections.abc import Iterable
from datetime import date

from django.utils import timezone

from casework import events, txmemo
from casework.calendar import derive_working_days
from casework.models import Case, DeadlinePurpose, Department, Role, Sanction

STAFF = (Role.REVIEWER, Role.SUPERVISOR)


def staff_ids(department: Department, roles: Iterable[str] = STAFF) -> tuple[int, ...]:
    """The active members of `department` in `roles`, by id (the recipients of a department's message)."""
    roles = tuple(roles)

    def read() -> tuple[int, ...]:
        members = department.members.filter(role__in=list(roles), is_active=True).order_by("id")
        return tuple(members.values_list("id", flat=True))

    # Several sanctions of one implementer change in one transition: its staff are read once.
    return txmemo.memo(("staff", department.pk, roles), read)


def staff_ids_read(departments: Iterable[Department], roles: Iterable[str] = STAFF) -> None:
    """Read the staff (`staff_ids`) of several departments in one query, for the rest of the unit of work
    (nothing happens outside one): a transition about to tell the implementers of several sanctions."""
    roles = tuple(roles)
    wanted = {d.pk for d in departments if txmemo.recall(("staff", d.pk, roles)) is None}
    if not wanted or txmemo._table() is None:
        return
    found: dict[int, list[int]] = {pk: [] for pk in wanted}
    links = Department.members.through.objects.filter(
        department_id__in=wanted, user__role__in=list(roles), user__is_active=True
    ).order_by("user_id")
    for department_id, user_id in links.values_list("department_id", "user_id"):
        found[department_id].append(user_id)
    for pk, ids in found.items():
        txmemo.remember(("staff", pk, roles), tuple(ids))


def case_answer_due(case: Case) -> date:
    """The day the case must be answered by: its legal time limit (Beijing date, working days counted by the
    rule set). A kind without a legal clock falls back to the verification step's budget from today."""
    legal = case.deadlines.filter(purpose=DeadlinePurpose.LEGAL).order_by("id").first()
    if legal is not None and legal.due_on is not None:
        return legal.due_on
    budget = case.rule_set.case_rules(case.kind).get("steps", {}).get("verify", {}).get("budget_days", 0)
    return derive_working_days(timezone.localdate(), budget).date


def sanction_event(
    name: str,
    sanction: Sanction,
    *,
    case: Case | None,
    note: str = "",
    staff: dict[int, tuple[int, ...]] | None = None,
) -> events.SanctionEvent:
    """The event of a sanction's transition `name` (create, suspend, resume, revoke, lift); its implementer's
    reviewers and head must follow on their side. `staff`, if given, memoises `staff_ids` by department id
    (a sweep lifting many sanctions of a few implementers)."""
    kind = events.SANCTION_CHANGED[name]
    if staff is not None and not kind.silent:
        if sanction.implementer_id not in staff:
            staff[sanction.implementer_id] = staff_ids(sanction.implementer)
        recipients = staff[sanction.implementer_id]
    else:
        recipients = () if kind.silent else staff_ids(sanction.implementer)
    return kind(
        sanction_id=sanction.pk,
        sanction=str(sanction.public_id),
        measure=sanction.measure,
        note=str(note or ""),
        case_id=case.pk if case else None,
        case_number=case.number if case else "",
        recipient_ids=recipients,
    )


def case_notify_subject(case: Case, event: str, **fields) -> None:
    """Transitional: publish the case event named `event` with `fields`, for call sites written before the
    typed events (e.g. a conclusion path that takes the event's name). The payload is still checked: a missing
    field raises here. Dates given as ISO text, as the old contexts had them, are read as dates."""
    kind = events.REGISTRY[events.EventName(event)]
    if not issubclass(kind, events.CaseEvent):
        raise TypeError(f"{event} is not an event of a case")
    hints = typing.get_type_hints(kind)
    for name, value in fields.items():
        if hints.get(name) is date and isinstance(value, str):
            fields[name] = date.fromisoformat(value)
    events.publish(kind.of(case, **fields))
