"""The notifications app's subscriber to domain events (casework/events/): every event that is not silent
becomes a message to its recipients, queued in the publishing transaction through the outbox."""

from casework import events, txmemo
from casework.models import Case, CaseKind, User

from .services import outbox_notify


def _recipients(event: events.Event) -> list[User]:
    """Whom the event names (`recipient_ids`, in its order), or else its subject's active representatives —
    except on a third party's objection against a list exit, whose party is its objector, never the listed
    subject (docs/domain.md §9.5)."""
    ids = getattr(event, "recipient_ids", None)
    case_id = getattr(event, "case_id", None)
    if ids is None and case_id is not None and getattr(event, "kind", None) == CaseKind.OBJECTION:
        case = txmemo.row(Case, case_id)  # the copy the unit of work holds: no query on the way
        if case.objects_to_id is not None:
            ids = (case.filed_by_id,)
    if ids is not None:
        users = User.objects.in_bulk(list(ids))
        return [users[pk] for pk in dict.fromkeys(ids) if pk in users]
    return list(User.objects.filter(subjects__pk=event.subject_id, is_active=True).order_by("id"))


def notify(event: events.Event) -> list:
    """Queue the event's message for each recipient; the rows queued (none for a silent event, or for an
    occasion whose message was queued before)."""
    if event.silent:
        return []
    return outbox_notify(
        event=event.name.value,
        recipients=_recipients(event),
        case_id=getattr(event, "case_id", None),
        context=event.message_context(),
        dedupe_key=event.dedupe_key(),
    )


def connect() -> None:
    events.subscribe(notify, events.Event)
