"""The notifications app's subscriber to domain events (casework/events/): every event that is not silent
becomes a message to its recipients, queued in the publishing transaction through the outbox."""

from casework import events, txmemo
from casework.models import Case, CaseKind, User

from .services import outbox_notify, outbox_notify_many


def _named(event: events.Event) -> tuple[int, ...] | None:
    """The ids the event names (`recipient_ids`), or its objector's on a third party's objection against a list
    exit (its party is its objector, never the listed subject, docs/domain.md §9.5); None: its subject's
    active representatives hear it."""
    ids = getattr(event, "recipient_ids", None)
    case_id = getattr(event, "case_id", None)
    if ids is None and case_id is not None and getattr(event, "kind", None) == CaseKind.OBJECTION:
        case = txmemo.row(Case, case_id)  # the copy the unit of work holds: no query on the way
        if case.objects_to_id is not None:
            ids = (case.filed_by_id,)
    return ids


def _recipients(event: events.Event) -> list[User]:
    """Whom the event names (`_named`, in its order), or else its subject's active representatives."""
    ids = _named(event)
    if ids is not None:
        users = User.objects.in_bulk(list(ids))
        return [users[pk] for pk in dict.fromkeys(ids) if pk in users]
    return list(User.objects.filter(subjects__pk=event.subject_id, is_active=True).order_by("id"))


def notify(event: events.Event) -> list:
    """Queue the event's message for each recipient; the rows queued (none for a silent event, or for an
    occasion whose message was queued before).

    In a unit of work (`casework.txmemo`) a message without an occasion to check (`dedupe_key`) is queued as
    the unit ends, with every other message of the unit in one statement; it returns [] then."""
    if event.silent:
        return []
    if not event.dedupe_key() and txmemo.at_end(_notify_written, event, last=True):
        return []
    return outbox_notify(
        event=event.name.value,
        recipients=_recipients(event),
        case_id=getattr(event, "case_id", None),
        context=event.message_context(),
        dedupe_key=event.dedupe_key(),
    )


def _notify_written(published: list[events.Event]) -> None:
    _write_many(published)


def notify_many(published: list[events.Event]) -> list[int]:
    """`notify` for many events (`events.publish_many`): see `_write_many`. In a unit of work the messages
    without an occasion to check join the unit's last statement of messages (as `notify`)."""
    if any(event.dedupe_key() for event in published) or not all(
        txmemo.at_end(_notify_written, event, last=True) for event in published if not event.silent
    ):
        return _write_many(published)
    return []


def _write_many(published: list[events.Event]) -> list[int]:
    """`notify` for many events: the same rows, written in a few statements — the named recipients of all
    the events in one query, the representatives of the subjects of the others in one more, the messages in
    one insert. Returns the ids queued."""
    loud = [event for event in published if not event.silent]
    named_by_event = [_named(event) for event in loud]
    named = {pk for ids in named_by_event for pk in (ids or ())}
    users = User.objects.in_bulk(list(named)) if named else {}
    subject_ids = {event.subject_id for event, ids in zip(loud, named_by_event, strict=True) if ids is None}
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
    # a sweep's events name a few sets of people, thousands of times: one list per set
    named_lists: dict[tuple[int, ...], list[User]] = {}
    for event, ids in zip(loud, named_by_event, strict=True):
        if ids is not None:
            if ids not in named_lists:
                named_lists[ids] = [users[pk] for pk in dict.fromkeys(ids) if pk in users]
            recipients = named_lists[ids]
        else:
            recipients = representatives[event.subject_id]
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


def connect() -> None:
    events.subscribe(notify, events.Event, batch=notify_many)
