"""Events of a sanction: its implementer's staff must follow on their side."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import ClassVar

from .base import (
    Event,
    EventName,
    _event,
)


@dataclass(frozen=True, kw_only=True)
class SanctionEvent(Event):
    """A sanction changed state (`change`: the transition); its implementer's staff must follow on their side."""

    change: ClassVar[str]
    sanction_id: int
    sanction: str  # public id
    measure: str
    note: str
    case_id: int | None
    case_number: str  # '' when no case changed it (the platforms name the case; no lookup in the subscriber)
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
