"""The outbox (DESIGN invariant 3) and the in-app inbox.

A message is written as an outbox row in the same transaction as the event it reports, so that it exists if
and only if the event does. Delivery happens after commit, by Celery; a row is claimed with a lock and
marked sent in the same transaction as the delivery's own record, so a message is never delivered twice.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from casework.models.outbox import LeasedRow


class Channel(models.TextChoices):
    INAPP = "inapp", _("In-app message")
    EMAIL = "email", _("E-mail")
    SMS = "sms", _("SMS")


class OutboxState(models.TextChoices):
    PENDING = "pending", _("Pending")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")


class Outbox(LeasedRow):
    # The idempotency key a receiver drops duplicates by (the e-mail's Message-ID, the SMS client id). Nothing
    # here looks a row up by it, so it has no index: a unique index on a random uuid cost a random B-tree
    # insert per message (80,000 on a bad morning's sweep); uuid4's 122 random bits keep it unique.
    public_id = models.UUIDField(default=uuid.uuid4, editable=False)
    event = models.CharField(_("event"), max_length=60)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices)
    # Neither foreign key has an index: no query of the application reads the outbox by recipient or case
    # (the kernel reads by id and by the partial `outbox_pending_due`); such an index would only serve
    # deleting a user or a case, which PROTECT forbids while a message names them.
    # Nor a constraint in the database: checked at commit, it cost one lookup per message — 160,000 for a
    # bad morning's 80,000 messages, a quarter of the sweep. The writers guarantee it instead: no code
    # deletes a case; the recipients are users read in the writing transaction, and the set-based insert
    # (`outbox_notify_many`) joins them FOR KEY SHARE — the very lock the constraint's check took, once per
    # user instead of once per message. PROTECT still refuses, in the ORM, to delete a user or a case a
    # message names.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    case = models.ForeignKey(
        "casework.Case",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    context = models.JSONField(default=dict)
    # Makes a message that must go out once per occasion (an escalation level, a daily digest) impossible
    # to queue twice, even from two sweeps at once.
    dedupe_key = models.CharField(max_length=120, blank=True)
    state = models.CharField(max_length=10, choices=OutboxState.choices, default=OutboxState.PENDING)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    # The in-app channel is local work (exactly once); e-mail and SMS are leased and retried with the same
    # idempotency key (the outbox id) — see casework.outbox.
    STATE_PENDING, STATE_SENDING = OutboxState.PENDING, OutboxState.SENDING
    STATE_DONE, STATE_FAILED, DONE_AT = OutboxState.SENT, OutboxState.FAILED, "sent_at"

    class Meta:
        verbose_name = _("outbox message")
        verbose_name_plural = _("outbox")
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"],
                name="outbox_pending_due",
                condition=models.Q(state__in=["pending", "sending"]),
            )
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "channel", "event", "dedupe_key"],
                condition=~models.Q(dedupe_key=""),
                name="outbox_once_per_occasion",
            )
        ]

    def __str__(self):
        return f"{self.event} → {self.recipient_id} ({self.channel})"


class InboxMessage(models.Model):
    """What the in-app channel delivers: one row per outbox row, so a redelivery cannot duplicate it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    outbox = models.OneToOneField(Outbox, on_delete=models.PROTECT, related_name="inbox_message")
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="inbox")
    case = models.ForeignKey(
        "casework.Case", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("body"))
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["recipient", "read_at"])]

    def __str__(self):
        return self.title
