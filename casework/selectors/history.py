"""History reads: an object's chain, and "was this measure in force on day D" answered from it."""

from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from casework.models import Case, HistoryEvent, Sanction


def history_of(obj) -> QuerySet[HistoryEvent]:
    """A case's full history (its own stream and every record, sanction and task event written for it), or
    any other object's own stream, oldest first."""
    from casework.services.history import stream_of

    if isinstance(obj, Case):
        return obj.history.select_related("actor").order_by("id")
    return HistoryEvent.objects.filter(stream=stream_of(obj)).select_related("actor").order_by("seq")


def sanction_state_on(sanction: Sanction, day: date) -> str | None:
    """The sanction's state at the end of `day` (a date, in the deployment's time zone), from its history.

    Invariant 5: "was this measure in force on day D?" is answered from the append-only log, never from
    the current row. None if the sanction did not exist yet.
    """
    end_of_day = timezone.make_aware(datetime.combine(day + timedelta(days=1), time.min))
    last = history_of(sanction).filter(at__lt=end_of_day).order_by("-seq").values_list("to_state", flat=True)
    return last.first()
