"""Writing to the outbox (in the caller's transaction) and delivering from it (after commit).

Delivery guarantees, channel by channel:
- in-app: the inbox message is written in the same transaction that marks the outbox row sent, under a
  SKIP LOCKED row lock — exactly once, whatever dies when;
- e-mail and SMS leave our database, so no transaction can cover them. A send is *leased*: the row is marked
  `sending` (committed) before the send and `sent` after it. If the worker dies in between, the row is sent
  again after the lease, with the same idempotency key (the outbox id as the e-mail's Message-ID and the SMS
  client id), which the receiving side uses to drop the duplicate.
"""

import functools
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from .messages import channels_for, render
from .models import Channel, InboxMessage, Outbox, OutboxState
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

    The domain does not call this: it publishes events (casework/events.py), and `subscribers.notify` turns
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
        transaction.on_commit(functools.partial(_enqueue, row.pk))
    return rows


def _enqueue(outbox_id: int) -> None:
    from .tasks import outbox_deliver_task

    try:
        outbox_deliver_task.delay(outbox_id)
    except Exception:  # the broker being down loses nothing: the beat sweep delivers pending rows
        logger.warning("Could not enqueue outbox %s; the periodic sweep will deliver it.", outbox_id)


def _claimable() -> Q:
    now = timezone.now()
    return Q(state=OutboxState.PENDING, next_attempt_at__lte=now) | Q(
        state=OutboxState.SENDING, lease_until__lte=now
    )


def outbox_deliver(outbox_id: int) -> bool:
    """Deliver one message; False if it was not there to deliver (sent already, or another worker has it)."""
    with transaction.atomic():
        row = (
            Outbox.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(_claimable(), pk=outbox_id)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        if row.channel == Channel.INAPP:
            try:
                with transaction.atomic():
                    title, body = render(row.event, row.context, row.recipient.language)
                    InboxMessage.objects.create(
                        outbox=row, recipient=row.recipient, case=row.case, title=title, body=body
                    )
            except Exception as exc:
                _schedule_retry(row, exc)
                return False
            _mark_sent(row)
            return True
        row.state = OutboxState.SENDING
        row.lease_until = timezone.now() + timedelta(seconds=settings.NOTIFICATIONS_SEND_LEASE_SECONDS)
        row.save(update_fields=["attempts", "state", "lease_until"])
    # The lease is committed: from here a crash means "maybe sent", retried later under the same key.
    try:
        _send_external(row)
    except Exception as exc:
        with transaction.atomic():
            _schedule_retry(Outbox.objects.select_for_update().get(pk=row.pk), exc)
        return False
    with transaction.atomic():
        _mark_sent(Outbox.objects.select_for_update().get(pk=row.pk))
    return True


def _send_external(row: Outbox) -> None:
    title, body = render(row.event, row.context, row.recipient.language)
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


def _mark_sent(row: Outbox) -> None:
    row.state, row.sent_at, row.lease_until = OutboxState.SENT, timezone.now(), None
    row.save(update_fields=["attempts", "state", "sent_at", "lease_until"])


def _schedule_retry(row: Outbox, exc: Exception) -> None:
    row.last_error = repr(exc)[:2000]
    row.state = OutboxState.FAILED if row.attempts >= MAX_ATTEMPTS else OutboxState.PENDING
    row.next_attempt_at = timezone.now() + timedelta(minutes=2**row.attempts)  # 2, 4, 8 … minutes
    row.lease_until = None
    row.save(update_fields=["last_error", "state", "next_attempt_at", "lease_until"])


def outbox_due_ids(limit: int = 500) -> list[int]:
    return list(
        Outbox.objects.filter(_claimable()).order_by("next_attempt_at").values_list("id", flat=True)[:limit]
    )


def inbox_mark_read(*, message: InboxMessage) -> InboxMessage:
    if message.read_at is None:
        message.read_at = timezone.now()
        message.save(update_fields=["read_at"])
    return message


def inbox_mark_all_read(*, user) -> int:
    return InboxMessage.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
