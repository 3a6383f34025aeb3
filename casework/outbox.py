"""The outbox kernel: one implementation of "written in the event's transaction, done after commit, exactly
once where it stays in our database, at least once (with an idempotency key) where it leaves it".

Every kind of leased row (`casework.models.outbox.LeasedRow`) registers an `OutboxKind` from its app's
`ready()`: notifications (in-app, e-mail, SMS), integration deliveries (HTTP pushes) and notices (PDF renders).

- `enqueue(kind, pk)` in the writing transaction: after commit, ONE broker message per transaction carries
  every row queued in it (a transition that queues ten messages costs one message, not ten).
- `deliver(kind, pk)` claims the row with `SELECT … FOR UPDATE SKIP LOCKED` (two workers never hold it).
  *Local* work (writes only our database, e.g. an in-app message) runs inside the claiming transaction, so it
  happens exactly once. Other work is *leased*: `sending` is committed first, the work runs outside any
  transaction, and the outcome is written under the row lock afterwards; a worker that dies mid-send leaves a
  lease that runs out, and the work is retried with the same key.
- A failure is retried after 2, 4, 8 … minutes, until the kind's `max_attempts`, then the row is `failed`.
- `sweep()` (beat) does what commit-time dispatch missed (broker down, worker killed) and what is due again.
  A kind's `sweep_grace` leaves fresh rows to the commit-time message, so slow work is not done twice.
"""

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from casework.models.outbox import LeasedRow

logger = logging.getLogger(__name__)

# What a leased send may hand back: applied to the row under its lock once the send succeeded.
Apply = Callable[[Any], None]


def _never(row: Any) -> bool:
    return False


@dataclass(frozen=True)
class OutboxKind:
    """How one kind of leased row is done.

    - `send(row)` does the work and returns an optional `apply(locked_row)`; raising means "failed, retry".
    - `local(row)` says the work only writes our own database: done inside the claim's transaction.
    - `after_attempt(claimed_row, locked_row, error_or_None, duration_ms)` records an attempt (e.g. a
      delivery log) in the transaction that writes the outcome of a leased send.
    """

    name: str
    model: type[LeasedRow]
    send: Callable[[Any], Apply | None]
    local: Callable[[Any], bool] = _never
    after_attempt: Callable[[Any, Any, BaseException | None, int], None] | None = None
    lease: Callable[[], timedelta] = lambda: timedelta(minutes=5)
    max_attempts: int = 8
    sweep_grace: timedelta = timedelta(0)
    select_related: tuple[str, ...] = field(default_factory=tuple)


_KINDS: dict[str, OutboxKind] = {}


def register(kind: OutboxKind) -> None:
    _KINDS[kind.name] = kind


def kinds() -> list[str]:
    return sorted(_KINDS)


def backoff(attempts: int) -> timedelta:
    """2, 4, 8 … minutes after the n-th failed attempt."""
    return timedelta(minutes=2 ** min(attempts, 16))


# -- enqueue after commit: one broker message per transaction ---------------------------------------------


class _Batch:
    def __init__(self) -> None:
        # A set: ids of rows rolled back with a savepoint may be reused by later rows (SQLite does).
        self.ids: dict[str, set[int]] = {}

    def flush(self) -> None:
        if self.ids:
            _dispatch({kind: sorted(pks) for kind, pks in self.ids.items()})


def enqueue(kind: str, pk: int) -> None:
    """One row: see `enqueue_many`."""
    enqueue_many(kind, [pk])


def enqueue_many(kind: str, pks: Iterable[int]) -> None:
    """Have rows `pks` of `kind` done after the current transaction commits (at once outside a transaction).

    All rows queued in one transaction travel in one broker message. If the broker cannot be reached nothing
    is lost: the rows are committed, and the beat sweep does them.
    """
    pks = list(pks)
    if not pks:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        _dispatch({kind: sorted(pks)})
        return
    batch = getattr(connection, "_casework_outbox_batch", None)
    # A batch whose callback was discarded (its savepoint or transaction rolled back, or it already ran)
    # is not reused: a new one is registered with the current transaction.
    if batch is None or not any(func == batch.flush for _, func, _ in connection.run_on_commit):
        batch = _Batch()
        connection._casework_outbox_batch = batch
        transaction.on_commit(batch.flush)
    batch.ids.setdefault(kind, set()).update(pks)


def _dispatch(ids: dict[str, list[int]]) -> None:
    from casework.tasks import outbox_dispatch_task

    try:
        # argsrepr: the broker message's readable copy of its arguments, by default a repr of every id (a
        # sweep's batch sends 4,000; building that repr cost more than sending them).
        summary = ", ".join(f"{kind}: {len(pks)} rows" for kind, pks in ids.items())
        outbox_dispatch_task.apply_async((ids,), argsrepr=f"({{{summary}}},)")
    except Exception:  # the broker being down loses nothing: the beat sweep does the committed rows
        logger.warning("Could not enqueue outbox rows %s; the periodic sweep will do them.", ids)


def dispatch(ids: dict[str, list[int]]) -> int:
    """Do the rows of one transaction's message (the Celery task's body); how many were done."""
    return sum(deliver(kind, pk) for kind, pks in ids.items() if kind in _KINDS for pk in pks)


# -- claim, do, record ------------------------------------------------------------------------------------


def _claimable(model: type[LeasedRow], *, before=None) -> Q:
    now = timezone.now()
    return Q(state=model.STATE_PENDING, next_attempt_at__lte=before or now) | Q(
        state=model.STATE_SENDING, lease_until__lte=now
    )


def deliver(kind_name: str, pk: int) -> bool:
    """Do one row; False if it was not there to do (done already, not due, or another worker holds it) or
    if this attempt failed (it is then retried later, or given up after the kind's `max_attempts`)."""
    kind = _KINDS[kind_name]
    model = kind.model
    with transaction.atomic():
        row = (
            model._default_manager.select_for_update(skip_locked=True, of=("self",))
            .select_related(*kind.select_related)
            .filter(_claimable(model), pk=pk)
            .first()
        )
        if row is None:
            return False
        row.attempts += 1
        if kind.local(row):
            try:
                with transaction.atomic():
                    kind.send(row)
            except Exception as exc:
                _retry_later(kind, row, exc)
                return False
            _mark_done(row)
            return True
        row.state, row.lease_until = model.STATE_SENDING, timezone.now() + kind.lease()
        row.save(update_fields=["attempts", "state", "lease_until"])
    # The lease is committed: from here a crash means "maybe done", redone after the lease with the same key.
    started = timezone.now()
    error: BaseException | None = None
    apply: Apply | None = None
    try:
        apply = kind.send(row)
    except Exception as exc:
        error = exc
    duration_ms = int((timezone.now() - started).total_seconds() * 1000)
    with transaction.atomic():
        locked = model._default_manager.select_for_update().get(pk=pk)
        if kind.after_attempt is not None:
            kind.after_attempt(row, locked, error, duration_ms)
        if error is not None:
            _retry_later(kind, locked, error)
            logger.info("%s %s failed: %s", kind_name, pk, locked.last_error)
            return False
        if apply is not None:
            apply(locked)
        _mark_done(locked)
    return True


def _mark_done(row: Any) -> None:
    setattr(row, row.DONE_AT, timezone.now())
    row.state, row.lease_until, row.last_error = row.STATE_DONE, None, ""
    row.save()


def _retry_later(kind: OutboxKind, row: Any, exc: BaseException) -> None:
    row.last_error = (getattr(exc, "summary", "") or repr(exc))[:2000]
    row.state = row.STATE_FAILED if row.attempts >= kind.max_attempts else row.STATE_PENDING
    row.next_attempt_at = timezone.now() + backoff(row.attempts)
    row.lease_until = None
    row.save()


# -- the beat sweep ----------------------------------------------------------------------------------------


def due_ids(kind_name: str, limit: int = 500, *, grace: timedelta | None = None) -> list[int]:
    """Rows of `kind_name` the sweep would do now, soonest due first (partial index on open rows); `grace`
    overrides the kind's `sweep_grace`."""
    kind = _KINDS[kind_name]
    model = kind.model
    before = timezone.now() - (kind.sweep_grace if grace is None else grace)
    return list(
        model._default_manager.filter(_claimable(model, before=before))
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )


def sweep(kind_name: str | None = None, limit: int = 500, *, grace: timedelta | None = None) -> int:
    """Beat: do what is due of one kind (or of every kind); how many rows were done."""
    names = [kind_name] if kind_name else kinds()
    return sum(deliver(name, pk) for name in names for pk in due_ids(name, limit, grace=grace))
