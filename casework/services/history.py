from typing import Any

from django.db import connection, models
from django.utils import timezone

from casework import txmemo
from casework.models import Case, HistoryEvent, User

GENESIS = "0" * 64


def _rule_set_version(case: Case | None) -> str:
    if case is None:
        return ""
    return case.rule_set.version  # the process's copy of the row (models/ruleset.py)


def stream_of(obj: models.Model) -> str:
    """The chain an object's events belong to; public identifiers, so the log reads without joins."""
    if isinstance(obj, Case):
        return f"case:{obj.number}"
    return f"{obj._meta.model_name}:{getattr(obj, 'public_id')}"  # noqa: B009 (every streamed model has one)


def history_record(
    *,
    target: models.Model,
    action: str,
    actor: User | None,
    case: Case | None = None,
    from_state: str = "",
    to_state: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
    new_stream: bool = False,
) -> HistoryEvent:
    """Append one event to `target`'s chain, in the caller's transaction.

    The caller holds the lock on `target` (every service locks what it changes), so the read of the chain's
    head cannot race; the unique (stream, seq) constraint turns any bug in that into an error, not a fork.
    The head is read once per stream and unit of work (`casework.txmemo`); `new_stream=True` says the target
    was created in this transaction, so its chain starts here without a read (a wrong claim fails on the
    unique constraint).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("History must be written in the same transaction as the change it records.")
    stream = stream_of(target)
    # The head this transaction wrote last, if still valid; else the database's (one read per stream).
    cached = txmemo.recall(("history-head", stream))
    if cached is not None:
        seq, prev_hash = cached
    elif new_stream:  # the caller created the target in this transaction: its chain starts here
        seq, prev_hash = 0, GENESIS
    else:
        row = HistoryEvent.objects.filter(stream=stream).order_by("-seq").values("seq", "hash").first()
        seq, prev_hash = (row["seq"], row["hash"]) if row else (0, GENESIS)
    event = HistoryEvent(
        stream=stream,
        seq=seq + 1,
        prev_hash=prev_hash,
        case=case,
        at=timezone.now(),
        actor=actor,
        actor_label=actor.label() if actor else "system",
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=str(note or ""),
        data=data or {},
        rule_set_version=_rule_set_version(case),
    )
    event.hash = event.compute_hash()
    event.save()
    txmemo.remember(("history-head", stream), (event.seq, event.hash))
    return event
