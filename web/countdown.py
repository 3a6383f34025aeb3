"""Working days left on a deadline, as the queue and the timeline show them."""

from dataclasses import dataclass
from datetime import date

from casework import calendar


@dataclass(frozen=True)
class Countdown:
    days: int | None  # working days left (negative: overdue by that many); None when the calendar is unknown
    provisional: bool
    paused: bool

    @property
    def overdue(self) -> bool:
        return self.days is not None and self.days < 0

    @property
    def due_today(self) -> bool:
        return self.days == 0

    @property
    def overdue_days(self) -> int:
        return -self.days if self.overdue else 0


def countdown(deadline, today: date) -> Countdown:
    due = deadline.due_on
    paused = deadline.is_suspended
    try:
        days = (
            calendar.working_days_between(today, due)
            if due >= today
            else -calendar.working_days_between(due, today)
        )
    except calendar.CalendarUnknown:
        days = None
    if days is None and due < today:
        days = -1
    return Countdown(days=days, provisional=deadline.provisional or days is None, paused=paused)
