"""Events of records and of accountability: listings and publication periods that ended, monthly reporting,
history anchors and calendar warnings."""

from dataclasses import dataclass
from datetime import date

from .base import (
    Event,
    EventName,
    _event,
)


@_event
class ListExitExpired(Event):
    """A listing reached the end of its period (a record event: no case)."""

    name = EventName.LIST_EXIT_EXPIRED
    subject_id: int
    record_id: int
    subject: str
    summary: str
    listed_until: date


@_event
class RecordPublicationEnded(Event):
    """A penalty's publication period ended (docs/domain.md §9.7): the subject is told, the platforms get
    the record (`platform` is the push payload)."""

    name = EventName.RECORD_PUBLICATION_ENDED
    subject_id: int
    record_id: int
    provider_id: int
    record: str
    decided_on: date
    ended_on: date
    summary: str
    division: str
    platform: str  # the JSON pushed to the national platform and the provider

    def message_context(self) -> dict[str, str]:
        return {k: v for k, v in super().message_context().items() if k != "platform"}

    def dedupe_key(self) -> str:
        return f"publication-ended:{self.record}"


@dataclass(frozen=True, kw_only=True)
class MonthlySubmissionEvent(Event):
    """Monthly reporting (docs/domain.md §9.13), to the people the reporting sweep chose."""

    department: str
    month: str
    due_on: date
    recipient_ids: tuple[int, ...]


@_event
class MonthlySubmissionReminder(MonthlySubmissionEvent):
    name = EventName.MONTHLY_SUBMISSION_REMINDER


@_event
class MonthlySubmissionLate(MonthlySubmissionEvent):
    name = EventName.MONTHLY_SUBMISSION_LATE


@_event
class HistoryCheckpointed(Event):
    """A checkpoint anchored every history stream's head (ADR 0001): its root goes to the keepers and the
    national platform, so a copy lives outside the database."""

    name = EventName.HISTORY_CHECKPOINT
    seq: int
    at: str
    streams: int
    events: int
    root: str
    digest: str
    prev_digest: str
    recipient_ids: tuple[int, ...]

    def dedupe_key(self) -> str:
        return f"history-checkpoint:{self.seq}"


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
