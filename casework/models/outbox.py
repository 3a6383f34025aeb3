"""The leased row (DESIGN invariant 3): work written in the transaction of the event it serves, done after
commit. Notifications, platform deliveries and PDF notices are all such rows; `casework.outbox` is the one
kernel that claims, leases, retries and sweeps them."""

from typing import ClassVar

from django.db import models
from django.utils import timezone


class LeasedRow(models.Model):
    """Abstract base of every outbox-like table.

    A concrete model keeps its own `state` field (its values are part of its API) and names which of them
    mean pending, being sent (leased), done and given up, and the timestamp field stamped when done.
    """

    attempts = models.PositiveSmallIntegerField(default=0)
    # Not before this moment: the first attempt is due at once, a retry after its back-off.
    next_attempt_at = models.DateTimeField(default=timezone.now)
    # Work that leaves our database (e-mail, SMS, HTTP, a slow render) is leased: the row is committed as
    # "being sent" until this moment; a worker that dies leaves a lease that runs out, and the work is
    # done again with the same idempotency key (the row's public id).
    lease_until = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    STATE_PENDING: ClassVar[str]
    STATE_SENDING: ClassVar[str]
    STATE_DONE: ClassVar[str]
    STATE_FAILED: ClassVar[str]
    DONE_AT: ClassVar[str]

    class Meta:
        abstract = True
