"""Writing to the outbox (in the caller's transaction) and delivering from it (after commit).

Delivery guarantees, channel by channel:
- in-app: the inbox message is written in the same transaction that marks the outbox row sent, under a
  SKIP LOCKED row lock — exactly once, whatever dies when;
- e-mail and SMS leave our database, so no transaction can cover them. A send is *leased*: the row is marked
  `sending` (committed) before the send and `sent` after it. If the worker dies in between, the row is sent
  again after the lease, with the same idempotency key (the outbox id as the e-mail's Message-ID and the SMS
  client id), which the receiving side uses to drop the duplicate.
"""

import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from casework import bulk, outbox
from casework.models import User

from .messages import channels_for, render
from .models import Channel, InboxMessage, Outbox
from .sms import sms_gateway

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def outbox_notify(
    *,
    event: str,
    recipients: Iterable,
    case=None,
    case_id: int | None = None,
    context: dict,
    dedupe_key: str = "",
) -> list[Outbox]:
    """Queue the event's message for each recipient on each channel they can receive, in the caller's
    transaction; each row is dispatched once it commits. With a `dedupe_key`, a message already queued for
    that occasion is not queued again. Returns the rows queued now ([] if all were queued before).

    The domain does not call this: it publishes events (casework/events/), and `subscribers.notify` turns
    each into messages. `context` must hold every placeholder of the event's template."""
    now = timezone.now()
    rows = []
    for user in recipients:
        for channel in channels_for(event, user):
            row = Outbox(
                event=event,
                channel=channel,
                recipient=user,
                case_id=case.pk if case is not None else case_id,
                context=context,
                dedupe_key=dedupe_key,
                next_attempt_at=now,
            )
            if dedupe_key:
                try:
                    with transaction.atomic():
                        row.save()
                except IntegrityError:
                    continue
            rows.append(row)
    Outbox.objects.bulk_create([row for row in rows if row.pk is None])  # ids come back on PostgreSQL/SQLite
    for row in rows:
        outbox.enqueue(OUTBOX_KIND, row.pk)
    return rows


def outbox_notify_many(messages: Iterable[tuple[str, Iterable, int | None, dict, str]]) -> list[int]:
    """`outbox_notify` for many messages at once — (event, recipients, case_id, context, dedupe_key) each —
    in ONE insert on PostgreSQL, whatever their number; the same rows, queued for dispatch after commit in
    the transaction's one broker message. A message already queued for its occasion (`dedupe_key`) is left
    out, as `outbox_notify` does. Returns the ids of the rows queued now.

    Elsewhere (SQLite) each message goes through `outbox_notify`."""
    if connection.vendor != "postgresql":
        return [
            row.pk
            for event, recipients, case_id, context, key in messages
            for row in outbox_notify(
                event=event, recipients=recipients, case_id=case_id, context=context, dedupe_key=key
            )
        ]
    # A sweep's messages go to a few sets of people (a department's reviewers and head): each set of
    # (recipient, channel) pairs is sent once, and SQL pairs it with every message that names it.
    pairs_for: dict[tuple, tuple[tuple[int, str], ...]] = {}
    groups: dict[tuple[tuple[int, str], ...], int] = {}
    event_names, case_ids, contexts, keys, group_of = [], [], [], [], []
    for event, recipients, case_id, context, key in messages:
        recipients = list(recipients)
        # Keyed by the users' ids and contact details: what `channels_for` reads.
        who = (event, *((user.pk, user.email, user.phone) for user in recipients))
        if who not in pairs_for:
            pairs_for[who] = tuple(
                (user.pk, channel) for user in recipients for channel in channels_for(event, user)
            )
        pairs = pairs_for[who]
        if not pairs:
            continue
        event_names.append(event)
        case_ids.append(case_id)
        contexts.append(context)
        keys.append(key)
        group_of.append(groups.setdefault(pairs, len(groups) + 1))
    if not event_names:
        return []
    fields = {f.attname: f for f in Outbox._meta.concrete_fields}
    member_group = [group for pairs, group in groups.items() for _ in pairs]
    member_user = [user_pk for pairs in groups for user_pk, _ in pairs]
    member_channel = [channel for pairs in groups for _, channel in pairs]
    arrays = [
        bulk.array(event_names, fields["event"]),
        bulk.array(case_ids, fields["case_id"]),
        bulk.array(contexts, fields["context"]),
        bulk.array(keys, fields["dedupe_key"]),
        bulk.array(group_of, "integer[]"),
        bulk.array(member_group, "integer[]"),
        bulk.array(member_user, fields["recipient_id"]),
        bulk.array(member_channel, fields["channel"]),
    ]
    # The outbox's recipient column has no constraint in the database (notifications/models.py): the rows
    # name only users that exist, held FOR KEY SHARE to commit (what the constraint's check did per row).
    arrays.append(bulk.array(sorted(set(member_user)), fields["recipient_id"]))
    users = connection.ops.quote_name(User._meta.db_table)
    # Only the model's table name and the array placeholders are formatted in; every value is bound.
    source = (  # noqa: S608
        "unnest({}, {}, {}, {}, {}) WITH ORDINALITY AS m(event, case_id, context, dedupe_key, grp, ord) "
        "JOIN unnest({}, {}, {}) WITH ORDINALITY AS r(grp, recipient_id, channel, pos) ON r.grp = m.grp "
        "JOIN (SELECT id FROM {} WHERE id = ANY({}) FOR KEY SHARE) AS u ON u.id = r.recipient_id"
    ).format(*(sql for sql, _ in arrays[:-1]), users, arrays[-1][0])
    ids = bulk.insert_select(
        Outbox,
        {
            "event": "m.event",
            "channel": "r.channel",
            "recipient_id": "r.recipient_id",
            "case_id": "m.case_id",
            "context": "m.context::jsonb",
            "dedupe_key": "m.dedupe_key",
            "next_attempt_at": "%s::timestamptz",
        },
        source + " ORDER BY m.ord, r.pos",
        [values for _, values in arrays],
        select_params=[timezone.now()],
        returning=True,
        skip_conflicts=any(keys),
    )
    outbox.enqueue_many(OUTBOX_KIND, ids or [])
    return ids or []


def _send(row: Outbox) -> None:
    """Deliver one message on its channel (the outbox kernel's `send`; see casework.outbox)."""
    title, body = render(row.event, row.context, row.recipient.language)
    if row.channel == Channel.INAPP:
        # Local work, done in the claiming transaction: the inbox row exists iff the outbox row is sent.
        InboxMessage.objects.create(
            outbox=row, recipient=row.recipient, case=row.case, title=title, body=body
        )
        return
    key = str(row.public_id)
    if row.channel == Channel.EMAIL:
        message = EmailMessage(
            title,
            body,
            settings.DEFAULT_FROM_EMAIL,
            [row.recipient.email],
            headers={"Message-ID": f"<{key}@casework>"},
        )
        message.send()
    elif row.channel == Channel.SMS:
        sms_gateway().send(phone=row.recipient.phone, text=f"{title}: {body}", idempotency_key=key)


OUTBOX_KIND = "notification"


def outbox_kind() -> outbox.OutboxKind:
    return outbox.OutboxKind(
        name=OUTBOX_KIND,
        model=Outbox,
        send=_send,
        local=lambda row: row.channel == Channel.INAPP,
        lease=lambda: timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE_SECONDS),
        max_attempts=MAX_ATTEMPTS,
        select_related=("recipient",),
    )


def outbox_deliver(outbox_id: int) -> bool:
    """Deliver one message; False if it was not there to deliver (sent already, not due, or another worker
    has it) or if this attempt failed (retried later)."""
    return outbox.deliver(OUTBOX_KIND, outbox_id)


def outbox_due_ids(limit: int = 500) -> list[int]:
    return outbox.due_ids(OUTBOX_KIND, limit)


def inbox_mark_read(*, message: InboxMessage) -> InboxMessage:
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def inbox_mark_all_read(*, user) -> int:
    return InboxMessage.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
