"""The notifications app's subscriber to domain events (casework/events/): every event that is not silent
becomes a message to its recipients, queued in the publishing transaction through the outbox."""

from casework import events, txmemo
from casework.models import Case, CaseKind, User

from .services import outbox_notify, outbox_notify_many


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


def notify_many(published: list[events.Event]) -> list[int]:
    """`notify` for many events (`events.publish_many`): the same rows, written in a few statements — the
    named recipients of all the events in one query, the representatives of the subjects of events about no
    case in one more, the messages in one insert. Returns the ids queued.

    An event about a case that names nobody is resolved by `_recipients` itself, one by one: who hears a
    case's event may depend on the case (the sweeps publish no such events)."""
    loud = [event for event in published if not event.silent]
    named = {pk for event in loud for pk in (getattr(event, "recipient_ids", None) or ())}
    users = User.objects.in_bulk(list(named)) if named else {}
    subject_ids = {event.subject_id for event in loud if _by_subject(event)}
    representatives: dict[int, list[User]] = {pk: [] for pk in subject_ids}
    if subject_ids:
        links = (
            User.subjects.through.objects.filter(subject_id__in=subject_ids, user__is_active=True)
            .select_related("user")
            .order_by("user_id")
        )
        for link in links:
            representatives[link.subject_id].append(link.user)
    messages = []
    named_lists: dict[
        tuple, list[User]
    ] = {}  # a sweep's events name a few sets of people, thousands of times
    for event in loud:
        ids = getattr(event, "recipient_ids", None)
        if ids is not None:
            if ids not in named_lists:
                named_lists[ids] = [users[pk] for pk in dict.fromkeys(ids) if pk in users]
            recipients = named_lists[ids]
        elif _by_subject(event):
            recipients = representatives[event.subject_id]
        else:
            recipients = _recipients(event)
        messages.append(
            (
                event.name.value,
                recipients,
                getattr(event, "case_id", None),
                event.message_context(),
                event.dedupe_key(),
            )
        )
    return outbox_notify_many(messages)


def _by_subject(event: events.Event) -> bool:
    """An event about no case that names nobody: its subject's active representatives hear it."""
    return getattr(event, "recipient_ids", None) is None and getattr(event, "case_id", None) is None


def connect() -> None:
    events.subscribe(notify, events.Event, batch=notify_many)
