import contextlib
import operator
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, models
from django.utils import timezone

from casework import bulk, txmemo
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
        with _reading_heads({stream}):
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
    # In a unit of work the unit's events are written together, in one statement, as it ends (or before
    # anything reads the history table); elsewhere at once.
    if not txmemo.at_end(_history_write, event, table=HistoryEvent._meta.db_table):
        event.save()
    txmemo.remember(("history-head", stream), (event.seq, event.hash))
    txmemo.remember(("history-last", stream), event)  # `history_last_written`
    return event


def _history_write(written: list[HistoryEvent]) -> None:
    HistoryEvent.objects.bulk_create(written)  # PostgreSQL and SQLite read the ids back


def history_last_written(target: models.Model) -> int | None:
    """The id of the event this unit of work appended last to `target`'s chain through `history_record`, if
    that event is still the chain's head (None otherwise, and outside a unit of work). Writes the unit's
    waiting events first if that one is among them."""
    event = txmemo.recall(("history-last", stream_of(target)))
    if event is None:
        return None
    if event.pk is None:
        txmemo.run_now(_history_write)
    return event.pk


@contextlib.contextmanager
def _reading_heads(streams: set[str]):
    """Read chain heads without first writing the unit's waiting events, unless one of them is of these
    streams (then the database's head would be behind: they are written first)."""
    if any(event.stream in streams for event in txmemo.pending(_history_write)):
        txmemo.run_now(_history_write)
    with txmemo.unguarded():
        yield


@dataclass(slots=True)
class Appended:
    """One event `history_record_many` wrote: the columns of its row (`HISTORY_COLUMNS`), hashed by the very
    `HistoryEvent.compute_hash` the verifier uses, without a model instance per event."""

    stream: str
    seq: int
    case_id: int | None
    at: datetime
    actor_id: int | None
    actor_label: str
    action: str
    from_state: str
    to_state: str
    note: str
    data: dict[str, Any]
    rule_set_version: str
    prev_hash: str
    hash: str = ""


def history_record_many(entries: Iterable[dict[str, Any]]) -> list[Appended]:
    """Append many events at once, in the caller's transaction: each entry holds `history_record`'s keyword
    arguments (or, instead of `target`, its `stream` as `stream_of` names it, for a caller that holds no
    instance; `case` needs only `pk` and `rule_set`). Two statements whatever the number: the heads of
    every stream named, then one insert.

    The chain is computed in one pass in the entries' order, so a stream named twice (a record and its
    sanction in one sweep, or two events of one task) gets seq n+1, n+2, each linked to the one before —
    the same events `history_record` would write one by one. The caller holds the lock on every target, as
    for `history_record`; the unique (stream, seq) constraint still turns any bug in that into an error.
    Returns the events written, in the entries' order (their primary keys are not read back).
    """
    if not connection.in_atomic_block:
        raise RuntimeError("History must be written in the same transaction as the change it records.")
    entries = list(entries)
    if not entries:
        return []
    streams = [entry["stream"] if "stream" in entry else stream_of(entry["target"]) for entry in entries]
    # Heads this unit of work wrote already (casework.txmemo), else the database's: one read for the rest.
    heads: dict[str, tuple[int, str]] = {}
    for stream in set(streams):
        cached = txmemo.recall(("history-head", stream))
        if cached is not None:
            heads[stream] = cached
    missing = set(streams) - set(heads)
    with _reading_heads(missing):
        heads.update(history_heads(missing))
    now = timezone.now()
    written: list[Appended] = []
    for stream, entry in zip(streams, entries, strict=True):
        seq, prev = heads.get(stream, (0, GENESIS))
        actor, case = entry.get("actor"), entry.get("case")
        event = Appended(
            stream=stream,
            seq=seq + 1,
            case_id=case.pk if case else None,
            at=now,
            actor_id=actor.pk if actor else None,
            actor_label=actor.label() if actor else "system",
            action=entry["action"],
            from_state=str(entry.get("from_state") or ""),
            to_state=str(entry.get("to_state") or ""),
            note=str(entry.get("note") or ""),
            data=entry.get("data") or {},
            rule_set_version=_rule_set_version(case),
            prev_hash=prev,
        )
        event.hash = HistoryEvent.compute_hash(event)  # type: ignore[arg-type]
        heads[stream] = (event.seq, event.hash)
        written.append(event)
    bulk.insert(
        HistoryEvent,
        HISTORY_COLUMNS,
        [_history_row(event) for event in written],
    )
    if txmemo._table() is not None:  # inside a unit of work: later `history_record` calls chain on from here
        for stream in set(streams):
            txmemo.remember(("history-head", stream), heads[stream])
            txmemo.remember(("history-last", stream), None)  # its id is not read back
    return written


HISTORY_COLUMNS = (
    "stream",
    "seq",
    "case_id",
    "at",
    "actor_id",
    "actor_label",
    "action",
    "from_state",
    "to_state",
    "note",
    "data",
    "rule_set_version",
    "prev_hash",
    "hash",
)


_history_row = operator.attrgetter(*HISTORY_COLUMNS)  # an event's row, in the order of HISTORY_COLUMNS


def history_heads_read(targets: Iterable[models.Model]) -> None:
    """Read the heads of the chains of `targets` in one query, for `history_record` to chain on in this unit of
    work (`casework.txmemo`; nothing happens outside one). For a service about to change several rows it
    holds locked (a case and its task, the sanctions of a record), so that each event does not read its
    own head. Streams already known to the unit, or without events, are left to `history_record`."""
    if txmemo._table() is None:
        return
    streams = {stream_of(target) for target in targets}
    streams = {stream for stream in streams if txmemo.recall(("history-head", stream)) is None}
    with _reading_heads(streams):
        heads = history_heads(streams)
    for stream, head in heads.items():
        txmemo.remember(("history-head", stream), head)


def history_heads(streams: set[str]) -> dict[str, tuple[int, str]]:
    """The head (seq, hash) of each stream that has events, in one query (PostgreSQL: one index probe per
    stream; elsewhere the streams' events are read and the newest kept)."""
    if not streams:
        return {}
    if connection.vendor == "postgresql":
        with bulk.server_cursor() as cursor:
            cursor.execute(
                """
                SELECT h.stream, h.seq, h.hash
                FROM unnest(%s::text[]) AS s(stream)
                CROSS JOIN LATERAL (
                    SELECT stream, seq, hash FROM casework_historyevent e
                    WHERE e.stream = s.stream ORDER BY e.seq DESC LIMIT 1
                ) AS h
                """,
                [sorted(streams)],
            )
            return {stream: (seq, hash_) for stream, seq, hash_ in cursor.fetchall()}
    heads: dict[str, tuple[int, str]] = {}
    for stream, seq, hash_ in HistoryEvent.objects.filter(stream__in=streams).values_list(
        "stream", "seq", "hash"
    ):
        if stream not in heads or heads[stream][0] < seq:
            heads[stream] = (seq, hash_)
    return heads
