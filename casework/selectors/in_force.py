"""Day D (docs/domain.md §9.12): "was this measure in force on day D" and "which measures bound subject X on
day D", answered from history for the whole Beijing day."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Q

from casework.models import HistoryEvent, Sanction, SanctionState, Subject, User

from .records import sanctions_visible_to

BEIJING = ZoneInfo("Asia/Shanghai")


@dataclass(frozen=True)
class SanctionDay:
    """The whole day's answer for one sanction on one Beijing calendar day.

    `in_force`: in force at any moment of the day (from 00:00 to 24:00 Beijing time); `state_at_start` and
    `state_at_end`: the state at 00:00 and at 24:00 (None: not binding yet — before its effective date);
    `changes`: the history events of that day that changed its state, in order.
    """

    sanction: Sanction
    on: date
    in_force: bool
    state_at_start: str | None
    state_at_end: str | None
    changes: list[HistoryEvent]


def beijing_day_bounds(day: date) -> tuple[datetime, datetime]:
    """[00:00, 24:00) of `day` in Beijing time, as aware datetimes."""
    start = datetime.combine(day, time.min, tzinfo=BEIJING)
    return start, start + timedelta(days=1)


def sanction_effective_from(sanction: Sanction) -> date:
    """The date the measure binds from: its own, or for rows without one its record's decision date."""
    return sanction.effective_from or sanction.record.decided_on


def _sanction_day(sanction: Sanction, day: date, events: list[HistoryEvent]) -> SanctionDay:
    """`events`: the stream's events before the end of `day`, and always its first event (seq 1)."""
    start, end = beijing_day_bounds(day)
    effective = sanction_effective_from(sanction)
    if effective > day:
        return SanctionDay(sanction, day, False, None, None, [])
    before = [e for e in events if e.at < start]
    during = [e for e in events if start <= e.at < end]
    if before:
        state_at_start = before[-1].to_state
    elif events:
        # Entered after the day began, or later still, but binding since its effective date (a back-dated
        # entry): until its first recorded change it was in the state it was entered in.
        state_at_start = events[0].to_state
    else:  # no history at all (never the case for rows written by the services)
        state_at_start = SanctionState.ACTIVE
    changes = [e for e in during if e.from_state and e.from_state != e.to_state]
    state_at_end = changes[-1].to_state if changes else state_at_start
    in_force = state_at_start == SanctionState.ACTIVE or any(
        e.to_state == SanctionState.ACTIVE for e in changes
    )
    return SanctionDay(sanction, day, in_force, state_at_start, state_at_end, changes)


def _events_until(sanctions: list[Sanction], end: datetime) -> dict[str, list[HistoryEvent]]:
    from casework.services.history import stream_of

    streams: dict[str, list[HistoryEvent]] = {stream_of(s): [] for s in sanctions}
    for event in (
        HistoryEvent.objects.filter(Q(at__lt=end) | Q(seq=1), stream__in=list(streams))
        .select_related("actor")
        .order_by("stream", "seq")
    ):
        streams[event.stream].append(event)
    return streams


def sanction_on_day(sanction: Sanction, day: date) -> SanctionDay:
    """Day D for one sanction (see `SanctionDay`); history only, never the current row's state."""
    from casework.services.history import stream_of

    events = _events_until([sanction], beijing_day_bounds(day)[1])[stream_of(sanction)]
    return _sanction_day(sanction, day, events)


def subject_sanctions_on_day(user: User, subject: Subject, day: date) -> list[SanctionDay]:
    """Which measures bound `subject` on `day`: every sanction visible to `user` in force at any moment of
    the day, with its changes during the day; two queries whatever the number of sanctions."""
    from casework.services.history import stream_of

    sanctions = list(
        sanctions_visible_to(user)
        .filter(record__subject=subject)
        .select_related("record", "implementer")
        .order_by("id")
    )
    events = _events_until(sanctions, beijing_day_bounds(day)[1])
    answers = [_sanction_day(s, day, events[stream_of(s)]) for s in sanctions]
    return [a for a in answers if a.in_force]
