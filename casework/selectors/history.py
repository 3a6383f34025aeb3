"""History reads: an object's chain, and "was this measure in force on day D" answered from it."""

from datetime import date

from django.db.models import QuerySet

from casework.models import Case, HistoryEvent, Sanction


def history_of(obj) -> QuerySet[HistoryEvent]:
    """A case's full history (its own stream and every record, sanction and task event written for it), or
    any other object's own stream, oldest first."""
    from casework.services.history import stream_of

    if isinstance(obj, Case):
        return obj.history.select_related("actor").order_by("id")
    return HistoryEvent.objects.filter(stream=stream_of(obj)).select_related("actor").order_by("seq")


def sanction_state_on(sanction: Sanction, day: date) -> str | None:
    """The sanction's state at the end of `day` (a Beijing date), from its history; None before its effective
    date (docs/domain.md §9.12: a measure binds from its effective date, not from the day its row was written).
    For the whole day's answer (in force at any moment, the changes) see `in_force.sanction_on_day`.
    """
    from .in_force import sanction_on_day

    return sanction_on_day(sanction, day).state_at_end
