"""Anchoring the history (issue 11; ADR 0001): a periodic checkpoint of every stream's head.

A hash chain shows an event was edited or relinked, but a chain whose newest events were deleted — or a chain
deleted whole — is still a valid chain. A checkpoint records every stream's head (stream, seq, hash) and a
sha256 Merkle root over them, append-only and chained to the previous checkpoint, and publishes the root
outside the database: to the supervisors' inboxes and through the push to the national platform. Whoever
deletes events afterwards would have to rewrite those copies too. `verify_history` checks every anchored head
is still there (see `anchor_check`).

A stream's anchor only ever moves forward: a checkpoint taken after a truncation keeps the older, longer
anchor, so the loss stays visible.
"""

import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from casework import events
from casework.models import CheckpointHead, DepartmentKind, HistoryCheckpoint, HistoryEvent, Role, User

GENESIS = "0" * 64


def leaf(stream: str, seq: int, hash_: str) -> bytes:
    return hashlib.sha256(f"{stream}\x1f{seq}\x1f{hash_}".encode()).digest()


def merkle_root(heads: Iterable[tuple[str, int, str]]) -> str:
    """sha256 Merkle root over the heads sorted by stream (an odd node is carried up unchanged); the root of
    no heads is GENESIS. Anyone holding the heads recomputes it with a few lines of any language."""
    level = [leaf(*head) for head in sorted(heads)]
    if not level:
        return GENESIS
    while len(level) > 1:
        level = [
            hashlib.sha256(level[i] + level[i + 1]).digest() if i + 1 < len(level) else level[i]
            for i in range(0, len(level), 2)
        ]
    return level[0].hex()


def checkpoint_digest(checkpoint: HistoryCheckpoint) -> str:
    content = {
        "seq": checkpoint.seq,
        "at": checkpoint.at.isoformat(timespec="microseconds"),
        "streams": checkpoint.streams,
        "events": checkpoint.events,
        "root": checkpoint.root,
        "prev": checkpoint.prev_digest,
    }
    return hashlib.sha256(json.dumps(content, sort_keys=True, separators=(",", ":")).encode()).hexdigest()


def anchored_heads(*, stream: str | None = None) -> dict[str, tuple[int, str]]:
    """stream → (seq, hash) as the latest checkpoints anchored it (each stream's newest anchor)."""
    heads = CheckpointHead.objects.order_by("checkpoint__seq")
    if stream is not None:
        heads = heads.filter(stream=stream)
    return {s: (seq, h) for s, seq, h in heads.values_list("stream", "seq", "hash").iterator(chunk_size=5000)}


def _events(chunk_size: int = 5000) -> Iterator[tuple[str, int, str]]:
    yield from (
        HistoryEvent.objects.order_by("stream", "seq")
        .values_list("stream", "seq", "hash")
        .iterator(chunk_size=chunk_size)
    )


@dataclass
class _Scan:
    heads: dict[str, tuple[int, str]] = field(default_factory=dict)
    events: int = 0


def _scan() -> _Scan:
    scan = _Scan()
    for stream, seq, hash_ in _events():
        scan.events += 1
        scan.heads[stream] = (seq, hash_)  # ordered by seq: the last one seen is the head
    return scan


def _recipients() -> list[User]:
    """Who keeps a copy of each root: administrators and the credit offices' supervisors."""
    keepers = Q(role=Role.ADMIN) | Q(role=Role.SUPERVISOR, departments__kind=DepartmentKind.CREDIT_OFFICE)
    return list(User.objects.filter(keepers, is_active=True).distinct().order_by("id"))


def history_checkpoint() -> HistoryCheckpoint:
    """Write the next checkpoint of every stream head and publish its root; returns it.

    Reads the whole history once (three columns, in index order). A concurrent checkpoint loses on the unique
    number and this one is retried once on top of it.
    """
    for attempt in range(2):
        try:
            return _checkpoint()
        except IntegrityError:
            if attempt:
                raise
    raise AssertionError("unreachable")


@transaction.atomic
def _checkpoint() -> HistoryCheckpoint:
    previous = HistoryCheckpoint.objects.order_by("-seq").first()
    anchors = anchored_heads()
    scan = _scan()
    moved = []
    for stream, (seq, hash_) in scan.heads.items():
        anchored = anchors.get(stream)
        # Forward only: a stream now shorter than its anchor was truncated, and keeps the anchor that shows it.
        if anchored is None or seq > anchored[0]:
            moved.append((stream, seq, hash_))
            anchors[stream] = (seq, hash_)
    checkpoint = HistoryCheckpoint(
        seq=(previous.seq + 1) if previous else 1,
        at=timezone.now(),
        streams=len(anchors),
        events=scan.events,
        root=merkle_root((s, seq, h) for s, (seq, h) in anchors.items()),
        prev_digest=previous.digest if previous else GENESIS,
    )
    checkpoint.digest = checkpoint_digest(checkpoint)
    checkpoint.save()
    CheckpointHead.objects.bulk_create(
        [CheckpointHead(checkpoint=checkpoint, stream=s, seq=seq, hash=h) for s, seq, h in moved],
        batch_size=2000,
    )
    events.publish(
        events.HistoryCheckpointed(
            seq=checkpoint.seq,
            at=checkpoint.at.isoformat(),
            streams=checkpoint.streams,
            events=checkpoint.events,
            root=checkpoint.root,
            digest=checkpoint.digest,
            prev_digest=checkpoint.prev_digest,
            recipient_ids=tuple(u.pk for u in _recipients()),
        )
    )
    return checkpoint
