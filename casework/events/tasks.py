"""Events of a step: the escalation ladder and reassignment."""

from dataclasses import dataclass
from datetime import date

from .base import (
    Event,
    EventName,
    _event,
)


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
