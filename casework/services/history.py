from typing import Any

from django.db import connection, models
from django.utils import timezone

from casework.models import Case, HistoryEvent, User

GENESIS = "0" * 64


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
) -> HistoryEvent:
    """Append one event to `target`'s chain, in the caller's transaction.

    The caller holds the lock on `target` (every service locks what it changes), so the read of the chain's
    head cannot race; the unique (stream, seq) constraint turns any bug in that into an error, not a fork.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("History must be written in the same transaction as the change it records.")
    stream = stream_of(target)
    head = HistoryEvent.objects.filter(stream=stream).order_by("-seq").values("seq", "hash").first()
    event = HistoryEvent(
        stream=stream,
        seq=(head["seq"] + 1) if head else 1,
        prev_hash=head["hash"] if head else GENESIS,
        case=case,
        at=timezone.now(),
        actor=actor,
        actor_label=actor.label() if actor else "system",
        action=action,
        from_state=str(from_state or ""),
        to_state=str(to_state or ""),
        note=str(note or ""),
        data=data or {},
        rule_set_version=case.rule_set.version if case else "",
    )
    event.hash = event.compute_hash()
    event.save()
    return event
