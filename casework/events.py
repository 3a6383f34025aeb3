"""Domain events: what a case, a record or a sanction tells the rest of the system, and how it is told.

Every event is a frozen dataclass registered under an `EventName`. Its fields are its whole payload, typed,
keyword-only and without defaults: an event built without a field it needs is a `TypeError` (or, for a
value of the wrong type, `None` included, a `ValueError`) at the line that builds it — never an empty gap
in a message sent later. Payloads hold plain values (ids, numbers, names, dates), not model instances, so
they can be rendered, stored and compared without a database.

The publishing rule (ADR 0003):

* `publish(event)` runs every subscriber **inside the publishing transaction**, synchronously. A subscriber
  may only *write rows* there: outbox messages, platform deliveries, PDF notices, execution-tracking state.
  The rows exist if and only if the change that published the event commits, so nothing is lost and nothing
  is sent for a change that rolled back. An exception in a subscriber rolls the change back with it.
* Nothing that talks to a broker or the network runs in the transaction: each of those rows dispatches
  itself with `transaction.on_commit` (the outbox kernel), and the beat sweeps deliver what a dispatch missed.
* `subscribe(..., after_commit=True)` is for handlers that need nothing durable (a cache to drop, a log
  line); they run after commit, once, and are lost if the process dies in between.
* `publish` outside any transaction opens one for its subscribers, so their rows still commit together.

Subscribers register in their app's `AppConfig.ready()`; `casework` imports none of them (the import graph is
tested), the same way `casework.workflows` lets the flows app register its flows.
"""

import dataclasses
import functools
import types
import typing
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any, ClassVar

from django.db import transaction
from django.utils.functional import Promise

from casework.models.case import CaseKind


class EventName(StrEnum):
    """Every event, by the name stored on outbox rows and notices (kept stable: rows outlive releases)."""

    # A case, for its subject (and the platforms, and the written notices).
    CASE_FILED = "case_filed"
    CASE_MATERIALS_REQUESTED = "case_materials_requested"
    CASE_MATERIALS_RECEIVED = "case_materials_received"
    CASE_REFUSED = "case_refused"
    CASE_TOO_EARLY = "case_too_early"
    OBJECTION_ACCEPTED = "case_accepted"  # the historical name: only objections had an acceptance message
    OBJECTION_UPHELD = "objection_upheld"
    OBJECTION_CORRECTED = "objection_corrected"
    OBJECTION_DELETED = "objection_deleted"
    REPAIR_ACCEPTED = "repair_accepted"
    REPAIR_REPORTED = "repair_reported"
    REPAIR_GRANTED = "repair_granted"
    REPAIR_REJECTED = "repair_rejected"
    LIST_EXIT_ACCEPTED = "list_exit_accepted"
    LIST_EXIT_PUBLICITY = "list_exit_publicity"
    LIST_EXIT_HELD = "list_exit_held"
    LIST_EXIT_REMOVED = "list_exit_removed"
    LIST_EXIT_REJECTED = "list_exit_rejected"
    EXIT_OBJECTION_FILED = "exit_objection_filed"
    EXIT_OBJECTION_DECIDED = "exit_objection_decided"
    BANKRUPTCY_SHIELDED = "bankruptcy_shielded"
    BANKRUPTCY_REFUSED = "bankruptcy_refused"
    BANKRUPTCY_REPAIRED = "bankruptcy_repaired"
    PLATFORM_PUSH = "platform_push"
    # A record.
    LIST_EXIT_EXPIRED = "list_exit_expired"
    # A task (the escalation ladder, reassignment) and the calendar.
    TASK_REMIND = "task_remind"
    TASK_REMIND_BEFORE_DUE = "task_remind_before_due"
    TASK_OVERDUE = "task_overdue"
    TASK_SUPERVISE = "task_supervise"
    TASK_REASSIGNED = "task_reassigned"
    CALENDAR_WARNING = "calendar_warning"
    # A sanction.
    SANCTION_CREATED = "sanction_create"
    SANCTION_SUSPENDED = "sanction_suspend"
    SANCTION_RESUMED = "sanction_resume"
    SANCTION_REVOKED = "sanction_revoke"
    SANCTION_LIFTED = "sanction_lift"
    SANCTION_FEEDBACK_MISMATCH = "sanction_feedback_mismatch"


ALL_KINDS = frozenset(CaseKind.values)
REGISTRY: dict[EventName, type["Event"]] = {}


def _check(value: Any, hint: Any) -> bool:
    """Whether `value` fits the field's annotation (the few shapes payloads use)."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        return any(_check(value, arg) for arg in typing.get_args(hint))
    if hint is type(None):
        return value is None
    if origin is tuple:
        item = typing.get_args(hint)[0]
        return isinstance(value, tuple) and all(_check(v, item) for v in value)
    if hint is date:  # a datetime is a date too, but a day is meant
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, hint)


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        hints = typing.get_type_hints(cls)
        _HINTS[cls] = {f.name: hints[f.name] for f in dataclasses.fields(cls)}
    return _HINTS[cls]


def _text(value: Any) -> str:
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


@dataclass(frozen=True, kw_only=True)
class Event:
    """The payload every event shares: nothing. Subclasses add their fields, all required."""

    name: ClassVar[EventName]
    # True: no message goes to anyone (the event still reaches its other subscribers).
    silent: ClassVar[bool] = False

    def __post_init__(self) -> None:
        for field, hint in _hints(type(self)).items():
            value = getattr(self, field)
            if hint is str and isinstance(value, Promise):  # a lazy translation: fixed as text, as before
                value = str(value)
                object.__setattr__(self, field, value)
            if not _check(value, hint):
                raise ValueError(f"{self.name}: {field}={value!r} is not {hint}")

    def message_context(self) -> dict[str, str]:
        """The values a message template may name, as text (ids and recipient lists are not for reading)."""
        return {
            f.name: _text(getattr(self, f.name))
            for f in dataclasses.fields(self)
            if not f.name.endswith("_id") and f.name != "recipient_ids" and getattr(self, f.name) is not None
        }

    def dedupe_key(self) -> str:
        """A message that must go out once per occasion names the occasion here ('' = no such rule)."""
        return ""


@typing.dataclass_transform(kw_only_default=True, frozen_default=True)
def _event(cls):
    """Make `cls` a frozen, keyword-only dataclass and register it under its name (one class per name)."""
    cls = dataclass(frozen=True, kw_only=True)(cls)
    if cls.name in REGISTRY:
        raise RuntimeError(f"Two events named {cls.name}")
    REGISTRY[cls.name] = cls
    return cls


@dataclass(frozen=True, kw_only=True)
class CaseEvent(Event):
    """An event of one case; the subject's representatives hear it unless `recipient_ids` says otherwise.

    `kind` is the case kind: a message names it, and an event only exists for the kinds in `kinds` — telling
    a list-exit applicant that their *repair* was accepted fails where the event is built.
    """

    kinds: ClassVar[frozenset[str]] = ALL_KINDS

    case_id: int
    subject_id: int
    number: str
    kind: str
    office: str
    remedies: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in self.kinds:
            raise ValueError(f"{self.name} is not an event of {self.kind} cases (only {sorted(self.kinds)})")

    @classmethod
    def of(cls, case, **fields):
        """Build the event for `case` (a `Case`), taking the fields every case event carries from it."""
        return cls(
            case_id=case.pk,
            subject_id=case.subject_id,
            number=case.number,
            kind=case.kind,
            office=case.receiving_office.name,
            remedies=str(case.rule_set.case_rules(case.kind).get("remedies", "")),
            **fields,
        )


@dataclass(frozen=True, kw_only=True)
class Reasoned(CaseEvent):
    reason: str


OBJECTION = frozenset({CaseKind.OBJECTION.value})
REPAIR = frozenset({CaseKind.REPAIR.value})
LIST_EXIT = frozenset({CaseKind.LIST_EXIT.value})
BANKRUPTCY = frozenset({CaseKind.BANKRUPTCY_REPAIR.value})


@_event
class CaseFiled(CaseEvent):
    name = EventName.CASE_FILED


@_event
class CaseMaterialsRequested(CaseEvent):
    name = EventName.CASE_MATERIALS_REQUESTED
    materials: str


@_event
class CaseMaterialsReceived(CaseEvent):
    name = EventName.CASE_MATERIALS_RECEIVED


@_event
class CaseRefused(Reasoned):
    name = EventName.CASE_REFUSED


@_event
class CaseTooEarly(Event):
    """A filing refused as too early: nothing was saved, so there is no case, only its subject."""

    name = EventName.CASE_TOO_EARLY
    subject_id: int
    subject: str
    kind: str
    reapply_on: date
    reason: str

    def __post_init__(self) -> None:
        super().__post_init__()
        if self.kind not in ALL_KINDS:
            raise ValueError(f"{self.name}: unknown case kind {self.kind!r}")


@_event
class ObjectionAccepted(CaseEvent):
    """`due_on`: the day the case must be answered by (its legal time limit, Beijing date)."""

    name = EventName.OBJECTION_ACCEPTED
    kinds = OBJECTION
    provider: str
    due_on: date


@dataclass(frozen=True, kw_only=True)
class ObjectionResult(Reasoned):
    kinds = OBJECTION
    provider: str


@_event
class ObjectionUpheld(ObjectionResult):
    name = EventName.OBJECTION_UPHELD


@_event
class ObjectionCorrected(ObjectionResult):
    name = EventName.OBJECTION_CORRECTED


@_event
class ObjectionDeleted(ObjectionResult):
    name = EventName.OBJECTION_DELETED


# The verification outcome (`Outcome` value) → its event.
OBJECTION_RESULTS: dict[str, type[ObjectionResult]] = {
    "upheld": ObjectionUpheld,
    "corrected": ObjectionCorrected,
    "deleted": ObjectionDeleted,
}


@_event
class RepairAccepted(CaseEvent):
    name = EventName.REPAIR_ACCEPTED
    kinds = REPAIR
    provider: str


@_event
class RepairReported(CaseEvent):
    name = EventName.REPAIR_REPORTED
    kinds = REPAIR


@_event
class RepairGranted(Reasoned):
    name = EventName.REPAIR_GRANTED
    kinds = REPAIR


@_event
class RepairRejected(Reasoned):
    name = EventName.REPAIR_REJECTED
    kinds = REPAIR


@_event
class ListExitAccepted(CaseEvent):
    name = EventName.LIST_EXIT_ACCEPTED
    kinds = LIST_EXIT
    provider: str


@_event
class ListExitPublicity(CaseEvent):
    name = EventName.LIST_EXIT_PUBLICITY
    kinds = LIST_EXIT
    publicity_until: date


@_event
class ListExitHeld(CaseEvent):
    name = EventName.LIST_EXIT_HELD
    kinds = LIST_EXIT
    objection: str


@_event
class ListExitRemoved(Reasoned):
    name = EventName.LIST_EXIT_REMOVED
    kinds = LIST_EXIT


@_event
class ListExitRejected(Reasoned):
    name = EventName.LIST_EXIT_REJECTED
    kinds = LIST_EXIT


@_event
class ExitObjectionFiled(CaseEvent):
    """To whoever objected (anyone may, during publicity), not to the subject leaving the list."""

    name = EventName.EXIT_OBJECTION_FILED
    kinds = OBJECTION
    exit: str
    provider: str
    recipient_ids: tuple[int, ...]


@_event
class ExitObjectionDecided(Reasoned):
    """`outcome`: an `Outcome` value, named in the recipient's language when the message is written."""

    name = EventName.EXIT_OBJECTION_DECIDED
    kinds = OBJECTION
    exit: str
    outcome: str
    recipient_ids: tuple[int, ...]


@_event
class BankruptcyShielded(CaseEvent):
    name = EventName.BANKRUPTCY_SHIELDED
    kinds = BANKRUPTCY
    departments: str


@_event
class BankruptcyRefused(Reasoned):
    name = EventName.BANKRUPTCY_REFUSED
    kinds = BANKRUPTCY


@_event
class BankruptcyRepaired(Reasoned):
    name = EventName.BANKRUPTCY_REPAIRED
    kinds = BANKRUPTCY


@_event
class PlatformPush(CaseEvent):
    """To the top credit office of the case's chain, which pushes results to the national platform."""

    name = EventName.PLATFORM_PUSH
    kinds = REPAIR | LIST_EXIT | BANKRUPTCY
    outcome: str
    records: str
    recipient_ids: tuple[int, ...]


@_event
class ListExitExpired(Event):
    """A listing reached the end of its period (a record event: no case)."""

    name = EventName.LIST_EXIT_EXPIRED
    subject_id: int
    record_id: int
    subject: str
    summary: str
    listed_until: date


@dataclass(frozen=True, kw_only=True)
class TaskEvent(Event):
    """A step of a case, to the people the ladder or the reassigning officer chose."""

    case_id: int
    number: str
    step: str
    department: str
    due_on: date
    recipient_ids: tuple[int, ...]


@_event
class TaskRemind(TaskEvent):
    name = EventName.TASK_REMIND


@_event
class TaskRemindBeforeDue(TaskEvent):
    name = EventName.TASK_REMIND_BEFORE_DUE


@_event
class TaskOverdue(TaskEvent):
    name = EventName.TASK_OVERDUE


@_event
class TaskSupervise(TaskEvent):
    name = EventName.TASK_SUPERVISE


# The escalation level (`EscalationLevel` value) → its event.
TASK_ESCALATED: dict[str, type[TaskEvent]] = {
    "remind": TaskRemind,
    "remind_before_due": TaskRemindBeforeDue,
    "overdue": TaskOverdue,
    "supervise": TaskSupervise,
}


@_event
class TaskReassigned(TaskEvent):
    """`assignee`: '' when the task went to the department's queue rather than to a person."""

    name = EventName.TASK_REASSIGNED
    assignee: str
    reason: str


@_event
class CalendarWarning(Event):
    """Once a day per supervisor: cases whose due dates are provisional for want of a year's calendar."""

    name = EventName.CALENDAR_WARNING
    on: date
    count: int
    cases: str
    years: str
    recipient_ids: tuple[int, ...]

    def dedupe_key(self) -> str:
        return f"calendar:{self.on.isoformat()}"


@dataclass(frozen=True, kw_only=True)
class SanctionEvent(Event):
    """A sanction changed state (`change`: the transition); its implementer's staff must follow on their side."""

    change: ClassVar[str]
    sanction_id: int
    sanction: str  # public id
    measure: str
    note: str
    case_id: int | None
    recipient_ids: tuple[int, ...]


@_event
class SanctionCreated(SanctionEvent):
    name = EventName.SANCTION_CREATED
    change = "create"
    silent = True  # the implementer imposed it; the platforms hear of it by push


@_event
class SanctionSuspended(SanctionEvent):
    name = EventName.SANCTION_SUSPENDED
    change = "suspend"


@_event
class SanctionResumed(SanctionEvent):
    name = EventName.SANCTION_RESUMED
    change = "resume"


@_event
class SanctionRevoked(SanctionEvent):
    name = EventName.SANCTION_REVOKED
    change = "revoke"


@_event
class SanctionLifted(SanctionEvent):
    name = EventName.SANCTION_LIFTED
    change = "lift"


SANCTION_CHANGED: dict[str, type[SanctionEvent]] = {
    cls.change: cls
    for cls in (SanctionCreated, SanctionSuspended, SanctionResumed, SanctionRevoked, SanctionLifted)
}


@_event
class SanctionFeedbackMismatch(Event):
    """The implementer's reported state still differs from ours after the rule set's working days."""

    name = EventName.SANCTION_FEEDBACK_MISMATCH
    sanction_id: int
    sanction: str
    measure: str
    department: str
    our_state: str
    their_state: str
    mismatch_since: datetime
    since: date
    days: int
    recipient_ids: tuple[int, ...]

    def dedupe_key(self) -> str:
        return f"mismatch:{self.sanction}:{self.mismatch_since.isoformat()}"[:120]


# -- publishing ---------------------------------------------------------------------------------------------

Handler = Callable[[Event], None]
_IN_TRANSACTION: dict[type[Event], list[Handler]] = defaultdict(list)
_AFTER_COMMIT: dict[type[Event], list[Handler]] = defaultdict(list)


def subscribe(handler: Handler, *event_types: type[Event], after_commit: bool = False) -> None:
    """Run `handler(event)` for every published event of these types (base classes cover their subclasses).

    In-transaction handlers may only write rows (see the module docstring); `after_commit=True` handlers run
    once the transaction commits and must not be needed for correctness. Subscribing twice is harmless
    (`ready()` may run more than once in tests).
    """
    table = _AFTER_COMMIT if after_commit else _IN_TRANSACTION
    for event_type in event_types or (Event,):
        if handler not in table[event_type]:
            table[event_type].append(handler)


def _handlers(table: dict[type[Event], list[Handler]], event: Event) -> list[Handler]:
    found: list[Handler] = []
    for klass in type(event).__mro__:
        for handler in table.get(klass, ()):
            if handler not in found:
                found.append(handler)
    return found


def publish(event: Event) -> bool:
    """Tell the subscribers: row-writing ones now, in the caller's transaction; the others after commit.

    Returns whether any in-transaction subscriber wrote something (a subscriber returns what it wrote): for
    an event with a `dedupe_key`, False means this occasion had been published already. Raises whatever an
    in-transaction subscriber raises, so the change that published the event is rolled back with the rows
    that should have gone with it.
    """
    if REGISTRY.get(getattr(type(event), "name", None)) is not type(event):  # type: ignore[arg-type]
        raise TypeError(f"{type(event).__name__} is not a registered event")
    if transaction.get_connection().in_atomic_block:
        wrote = [handler(event) for handler in _handlers(_IN_TRANSACTION, event)]
    else:
        with transaction.atomic():
            wrote = [handler(event) for handler in _handlers(_IN_TRANSACTION, event)]
    for handler in _handlers(_AFTER_COMMIT, event):
        transaction.on_commit(functools.partial(handler, event))
    return any(wrote)
