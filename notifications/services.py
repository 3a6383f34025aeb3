"""Writing to the outbox (in the caller's transaction) and delivering from it (after commit)."""

import functools
import logging
from collections.abc import Iterable
from datetime import timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .messages import render
from .models import Channel, InboxMessage, Outbox, OutboxState

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 8


def outbox_notify(*, event: str, recipients: Iterable, case=None, context: dict, channels=(Channel.INAPP,)):
    """Queue one message per recipient and channel; each is dispatched once the transaction commits."""
    now = timezone.now()
    rows = [
        Outbox(event=event, channel=channel, recipient=user, case=case, context=context, next_attempt_at=now)
        for user in recipients
        for channel in channels
        if channel != Channel.EMAIL or user.email
    ]
    Outbox.objects.bulk_create(rows)  # ids come back on PostgreSQL and on SQLite >= 3.35
    for row in rows:
        transaction.on_commit(functools.partial(_enqueue, row.pk))
    return rows


def outbox_notify_department(*, event: str, department, roles, case=None, context: dict):
    recipients = department.members.filter(role__in=roles, is_active=True).order_by("id")
    return outbox_notify(event=event, recipients=recipients, case=case, context=context)


def _enqueue(outbox_id: int) -> None:
    from .tasks import outbox_deliver_task

    try:
        outbox_deliver_task.delay(outbox_id)
    except Exception:  # the broker being down loses nothing: the beat sweep delivers pending rows
        logger.warning("Could not enqueue outbox %s; the periodic sweep will deliver it.", outbox_id)


def outbox_deliver(outbox_id: int) -> bool:
    """Deliver one message, at most once.

    The row is claimed with SKIP LOCKED, so a second worker given the same id moves on instead of waiting,
    and the in-app message is written in the same transaction that marks the row sent: either both happen
    or neither does.
    """
    with transaction.atomic():
        row = (
            Outbox.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=outbox_id, state=OutboxState.PENDING)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        try:
            _send(row)
        except Exception as exc:
            row.last_error = repr(exc)[:2000]
            if row.attempts >= MAX_ATTEMPTS:
                row.state = OutboxState.FAILED
            row.next_attempt_at = timezone.now() + timedelta(minutes=2**row.attempts)
            row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at"])
            return False
        row.state = OutboxState.SENT
        row.sent_at = timezone.now()
        row.save(update_fields=["attempts", "state", "sent_at"])
        return True


def _send(row: Outbox) -> None:
    title, body = render(row.event, row.context)
    if row.channel == Channel.INAPP:
        InboxMessage.objects.create(
            outbox=row, recipient=row.recipient, case=row.case, title=title, body=body
        )
    elif row.channel == Channel.EMAIL:
        send_mail(title, body, settings.DEFAULT_FROM_EMAIL, [row.recipient.email])
    else:
        logger.info("SMS to user %s: %s", row.recipient_id, title)


def outbox_due_ids(limit: int = 500) -> list[int]:
    return list(
        Outbox.objects.filter(state=OutboxState.PENDING, next_attempt_at__lte=timezone.now())
        .order_by("next_attempt_at")
        .values_list("id", flat=True)[:limit]
    )
