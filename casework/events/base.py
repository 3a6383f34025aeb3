"""The event kernel: what every event is, how it is registered and checked, and how it is published.

See the package docstring for the publishing rule (ADR 0003).
"""

import dataclasses
import functools
import types
import typing
from collections import defaultdict
from collections.abc import Callable, Sequence
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
    CASE_MATERIALS_REMINDER = "case_materials_reminder"
    CASE_WITHDRAWN = "case_withdrawn"
    CASE_REFUSED = "case_refused"
    CASE_TOO_EARLY = "case_too_early"
    OBJECTION_ACCEPTED = "case_accepted"  # the historical name: only objections had an acceptance message
    OBJECTION_UPHELD = "objection_upheld"
    OBJECTION_CORRECTED = "objection_corrected"
    OBJECTION_DELETED = "objection_deleted"
    OBJECTION_FORWARDED = "objection_forwarded"
    OBJECTION_SUPPLEMENTED = "objection_supplemented"
    OBJECTION_PUBLICATION_STOPPED = "objection_publication_stopped"
    OBJECTION_REMOVED_FROM_LIST = "objection_removed_from_list"
    REVIEW_DECIDED = "review_decided"
    REPAIR_ACCEPTED = "repair_accepted"
    REPAIR_REPORTED = "repair_reported"
    REPAIR_GRANTED = "repair_granted"
    REPAIR_REJECTED = "repair_rejected"
    LIST_EXIT_ACCEPTED = "list_exit_accepted"
    LIST_EXIT_PUBLICITY = "list_exit_publicity"
    LIST_EXIT_HELD = "list_exit_held"
    LIST_EXIT_RESUMED = "list_exit_resumed"
    LIST_EXIT_REMOVED = "list_exit_removed"
    LIST_EXIT_REJECTED = "list_exit_rejected"
    EXIT_OBJECTION_FILED = "exit_objection_filed"
    EXIT_OBJECTION_DECIDED = "exit_objection_decided"
    BANKRUPTCY_DECIDED = "bankruptcy_decided"
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
    # Accountability (issues 10, 11): a publication period that ended, monthly reporting, history anchors.
    RECORD_PUBLICATION_ENDED = "record_publication_ended"
    MONTHLY_SUBMISSION_REMINDER = "monthly_submission_reminder"
    MONTHLY_SUBMISSION_LATE = "monthly_submission_late"
    HISTORY_CHECKPOINT = "history_checkpoint"


ALL_KINDS = frozenset(CaseKind.values)
REGISTRY: dict[EventName, type["Event"]] = {}


def _check(value: Any, hint: Any) -> bool:
    """Whether `value` fits the field's annotation (the few shapes payloads use)."""
    if type(value) is hint:  # exactly the annotated class (the ids of a tuple[int, ...], a str …)
        return True
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


_MESSAGE_FIELDS: dict[type, tuple[str, ...]] = {}


def _message_fields(cls: type) -> tuple[str, ...]:
    """The fields of an event class a message may name (not ids, not the recipient list), in order."""
    if cls not in _MESSAGE_FIELDS:
        _MESSAGE_FIELDS[cls] = tuple(
            f.name
            for f in dataclasses.fields(cls)
            if not f.name.endswith("_id") and f.name != "recipient_ids"
        )
    return _MESSAGE_FIELDS[cls]


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
            if type(value) is hint:  # exactly the annotated class (str, int, date …): nothing to check
                continue
            if hint is str and isinstance(value, Promise):  # a lazy translation: fixed as text, as before
                value = str(value)
                object.__setattr__(self, field, value)
            if not _check(value, hint):
                raise ValueError(f"{self.name}: {field}={value!r} is not {hint}")

    def message_context(self) -> dict[str, str]:
        """The values a message template may name, as text (ids and recipient lists are not for reading)."""
        values = ((name, getattr(self, name)) for name in _message_fields(type(self)))
        return {name: _text(value) for name, value in values if value is not None}

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
REVIEW = frozenset({CaseKind.REVIEW.value})


# -- publishing ---------------------------------------------------------------------------------------------

Handler = Callable[[Event], None]
_IN_TRANSACTION: dict[type[Event], list[Handler]] = defaultdict(list)
_AFTER_COMMIT: dict[type[Event], list[Handler]] = defaultdict(list)
# An in-transaction handler's set-based form: given many events at once, writes what the handler would
# write for each, in a few statements (the sweeps publish thousands of events in one transaction).
_BATCH: dict[Handler, Callable[[list[Event]], Any]] = {}


def subscribe(
    handler: Handler,
    *event_types: type[Event],
    after_commit: bool = False,
    batch: Callable[[list[Event]], Any] | None = None,
) -> None:
    """Run `handler(event)` for every published event of these types (base classes cover their subclasses).

    In-transaction handlers may only write rows (see the module docstring); `after_commit=True` handlers run
    once the transaction commits and must not be needed for correctness. Subscribing twice is harmless
    (`ready()` may run more than once in tests).

    `batch(events)`, optional, is the handler's set-based form for `publish_many`: it must write exactly the
    rows `handler` would write for each event in turn, and return them (a list).
    """
    table = _AFTER_COMMIT if after_commit else _IN_TRANSACTION
    if batch is not None:
        if after_commit:
            raise ValueError("Only in-transaction handlers have a batch form.")
        _BATCH[handler] = batch
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


def publish_at_end(event: Event) -> None:
    """Publish `event` as its unit of work ends (`casework.txmemo.at_end`), with every other event published
    so in the unit, through `publish_many`: a transition that changes several sanctions writes their
    messages and deliveries in a few statements, just before its commit. Outside a unit it is `publish`.

    For events whose subscribers need nothing that changes later in the unit (a sanction's event: its row
    is locked and the unit changes it once) and whose caller does not ask whether anything was written.
    """
    if REGISTRY.get(getattr(type(event), "name", None)) is not type(event):  # type: ignore[arg-type]
        raise TypeError(f"{type(event).__name__} is not a registered event")
    from casework import txmemo

    if not txmemo.at_end(publish_many, event):
        publish(event)


def publish_many(published: Sequence[Event]) -> bool:
    """Publish many events in the caller's transaction, as `publish` would one by one, with each
    subscriber's set-based form where it has one (`subscribe(..., batch=…)`): a sweep that fires ten
    thousand levels writes their messages in one statement, not ten thousand.

    Every subscriber still sees every event; events of one subscriber keep their order. Returns whether any
    in-transaction subscriber wrote something. Raises (and so rolls the caller back) as `publish` does.
    """
    for event in published:
        if REGISTRY.get(getattr(type(event), "name", None)) is not type(event):  # type: ignore[arg-type]
            raise TypeError(f"{type(event).__name__} is not a registered event")
    if not transaction.get_connection().in_atomic_block:
        with transaction.atomic():
            return publish_many(published)
    # The subscribers of each event class, looked up once per class (a sweep publishes thousands of one class).
    in_transaction: dict[type[Event], list[Handler]] = {}
    after_commit: dict[type[Event], list[Handler]] = {}
    by_handler: dict[Handler, list[Event]] = {}
    for event in published:
        kind = type(event)
        if kind not in in_transaction:
            in_transaction[kind] = _handlers(_IN_TRANSACTION, event)
            after_commit[kind] = _handlers(_AFTER_COMMIT, event)
        for handler in in_transaction[kind]:
            by_handler.setdefault(handler, []).append(event)
    wrote = False
    for handler, handled in by_handler.items():
        if handler in _BATCH:
            wrote |= bool(_BATCH[handler](handled))
        else:
            for event in handled:
                wrote |= bool(handler(event))
    for event in published:
        for handler in after_commit[type(event)]:
            transaction.on_commit(functools.partial(handler, event))
    return wrote
