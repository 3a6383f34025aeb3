"""Proof that the history was not altered (DESIGN invariant 2): walk every hash chain and check each link.

Domain code beside the chain's writer (`history.py`), so a change to the chain's format changes both in one
place; `manage.py verify_history` and the supervisors' "verify history" button are thin callers. Read-only.

Each stream is a chain numbered 1, 2, 3 … whose events carry the hash of the one before (see
`casework.models.history`). A row edited in place no longer matches its own hash; a row deleted leaves a gap
in the numbering and a dangling `prev_hash`; a `prev_hash` rewritten no longer points at its predecessor.

The table is read once, ordered by (stream, seq) — the order of the unique index — in chunks, keeping only
the previous event of the current chain in memory: a province holds millions of events.

Not detectable from the chain alone: the newest events of a stream deleted together (the shorter chain is
still valid), a whole chain deleted, or a whole chain rewritten with fresh hashes. Those are caught against
the latest checkpoint (`casework.services.checkpoints`): every anchored head must still be there with its
hash, and the anchors must still give the published Merkle root. Events written after the latest checkpoint
are protected by the chain alone until the next one.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.models import HistoryEvent

from .history import GENESIS

ALTERED = "altered"  # the row's content no longer matches its hash
BROKEN_LINK = "broken_link"  # prev_hash does not point at the previous event of the stream
MISSING = "missing"  # the numbering has a gap: events were removed
TRUNCATED = "truncated"  # events up to an anchored head are gone (the newest ones, or the whole stream)
REWRITTEN = "rewritten"  # the event at an anchored head has another hash than the checkpoint recorded
CHECKPOINT = "checkpoint"  # the checkpoints themselves no longer give their published root or chain


@dataclass(frozen=True)
class HistoryBreak:
    """The first bad event of one chain; everything after it in that chain is suspect."""

    stream: str
    seq: int
    event_id: int
    problem: str  # ALTERED | BROKEN_LINK | MISSING | TRUNCATED | REWRITTEN | CHECKPOINT
    detail: str

    def __str__(self) -> str:
        return (
            f"stream {self.stream}, seq {self.seq}, event id {self.event_id}: {self.problem} — {self.detail}"
        )


@dataclass
class HistoryCheck:
    events: int = 0
    chains: int = 0
    broken_chains: int = 0
    # The first break of each broken chain, in (stream, seq) order, up to the `max_breaks` asked for.
    breaks: list[HistoryBreak] = field(default_factory=list)
    checkpoint: int | None = None  # the number of the checkpoint the heads were checked against

    @property
    def ok(self) -> bool:
        return self.broken_chains == 0

    @property
    def first_break(self) -> HistoryBreak | None:
        return self.breaks[0] if self.breaks else None


def _check_link(event: HistoryEvent, prev_seq: int, prev_hash: str) -> HistoryBreak | None:
    problems: list[tuple[str, str]] = []
    expected_seq = prev_seq + 1
    if event.seq > expected_seq:
        gap = str(expected_seq) if event.seq == expected_seq + 1 else f"{expected_seq}–{event.seq - 1}"
        problems.append((MISSING, _("seq %(gap)s of the stream is missing (deleted)") % {"gap": gap}))
    elif event.seq != expected_seq:
        problems.append(
            (
                MISSING,
                _("expected seq %(expected)s, found %(found)s")
                % {"expected": expected_seq, "found": event.seq},
            )
        )
    if event.prev_hash != prev_hash:
        problems.append(
            (
                BROKEN_LINK,
                (
                    _("prev_hash %(stored)s… is not the genesis value")
                    if prev_hash == GENESIS
                    else _("prev_hash %(stored)s… is not the hash of seq %(seq)s (%(expected)s…)")
                )
                % {"stored": event.prev_hash[:12], "seq": prev_seq, "expected": prev_hash[:12]},
            )
        )
    actual = event.compute_hash()
    if event.hash != actual:
        problems.append(
            (
                ALTERED,
                _("content does not match its hash (stored %(stored)s…, computed %(computed)s…)")
                % {"stored": event.hash[:12], "computed": actual[:12]},
            )
        )
    if not problems:
        return None
    return HistoryBreak(
        stream=event.stream,
        seq=event.seq,
        event_id=event.pk,
        problem=problems[0][0],
        detail="; ".join(detail for _code, detail in problems),
    )


def history_verify(
    *,
    stream: str | None = None,
    chunk_size: int = 2000,
    max_breaks: int = 100,
    progress: Callable[[int], None] | None = None,
    progress_every: int = 100_000,
) -> HistoryCheck:
    """Verify every chain (or only `stream`); read-only, bounded memory whatever the size of the table.

    A chain is reported once, at its first bad event: after a break the rest of that chain proves nothing.
    `progress(events_so_far)` is called every `progress_every` events, for long runs.
    """
    from casework.models import HistoryCheckpoint

    result = HistoryCheck()
    latest = HistoryCheckpoint.objects.order_by("-seq").first()
    anchors: dict[str, tuple[int, str]] = {}
    if latest is not None:
        result.checkpoint = latest.seq
        anchors = _anchors(latest, stream, result)
    events = HistoryEvent.objects.order_by("stream", "seq")
    if stream is not None:
        events = events.filter(stream=stream)
    current: str | None = None
    prev_seq, prev_hash, broken = 0, GENESIS, False
    found: HistoryBreak | None
    seen: set[str] = set()

    def close(name: str | None, last_seq: int, broken: bool) -> None:
        if name is None or broken or name not in anchors:
            return
        anchored_seq = anchors[name][0]
        if last_seq < anchored_seq:
            _add(result, max_breaks, _truncated(name, last_seq, anchored_seq, result.checkpoint))

    for event in events.iterator(chunk_size=chunk_size):
        result.events += 1
        if progress is not None and result.events % progress_every == 0:
            progress(result.events)
        if event.stream != current:
            close(current, prev_seq, broken)
            current, prev_seq, prev_hash, broken = event.stream, 0, GENESIS, False
            result.chains += 1
            seen.add(current)
        if not broken:
            found = _check_link(event, prev_seq, prev_hash)
            anchored = anchors.get(event.stream)
            if found is None and anchored and anchored[0] == event.seq and anchored[1] != event.hash:
                found = HistoryBreak(
                    stream=event.stream,
                    seq=event.seq,
                    event_id=event.pk,
                    problem=REWRITTEN,
                    detail=_(
                        "checkpoint #%(checkpoint)s anchored this head with hash %(anchored)s…, now %(stored)s…: "
                        "the chain was rewritten at or before this event"
                    )
                    % {
                        "checkpoint": result.checkpoint,
                        "anchored": anchored[1][:12],
                        "stored": event.hash[:12],
                    },
                )
            if found is not None:
                broken = True
                _add(result, max_breaks, found)
        prev_seq, prev_hash = event.seq, event.hash
    close(current, prev_seq, broken)
    seen = set(
        HistoryEvent.objects.filter(stream__in=list(anchors)).values_list("stream", flat=True).distinct()
    )
    for name in sorted(set(anchors) - seen):  # whole streams deleted
        result.chains += 1
        _add(result, max_breaks, _truncated(name, 0, anchors[name][0], result.checkpoint))
    result.breaks.sort(key=lambda b: (b.stream, b.seq))
    return result


def _add(result: HistoryCheck, max_breaks: int, found: HistoryBreak) -> None:
    result.broken_chains += 1
    if len(result.breaks) < max_breaks:
        result.breaks.append(found)


def _truncated(stream: str, last_seq: int, anchored_seq: int, checkpoint: int | None) -> HistoryBreak:
    return HistoryBreak(
        stream=stream,
        seq=last_seq + 1,
        event_id=0,
        problem=TRUNCATED,
        detail=(
            _("the whole stream is gone; checkpoint #%(checkpoint)s anchored %(anchored)s events")
            if last_seq == 0
            else _(
                "events %(first)s–%(anchored)s are gone (the newest); checkpoint #%(checkpoint)s anchored seq "
                "%(anchored)s"
            )
        )
        % {"first": last_seq + 1, "anchored": anchored_seq, "checkpoint": checkpoint},
    )


def _anchors(latest, stream: str | None, result: HistoryCheck) -> dict[str, tuple[int, str]]:
    """The anchored heads (of `stream` only, if given), after checking the checkpoints themselves: each must
    still give its digest and chain, and the heads must give the latest checkpoint's (published) root."""
    from casework.models import HistoryCheckpoint
    from casework.services.checkpoints import GENESIS as NO_CHECKPOINT
    from casework.services.checkpoints import anchored_heads, checkpoint_digest, merkle_root

    problems = []
    prev = NO_CHECKPOINT
    for checkpoint in HistoryCheckpoint.objects.order_by("seq").iterator():
        if checkpoint.prev_digest != prev or checkpoint_digest(checkpoint) != checkpoint.digest:
            problems.append((checkpoint, _("checkpoint #%(seq)s does not match its digest or chain")))
        prev = checkpoint.digest
    if stream is None:
        heads = anchored_heads()
        if merkle_root((s, seq, h) for s, (seq, h) in heads.items()) != latest.root:
            problems.append((latest, _("the anchored heads no longer give the root of checkpoint #%(seq)s")))
    else:
        heads = anchored_heads(stream=stream)
    for checkpoint, message in problems[:1]:
        _add(
            result,
            1,
            HistoryBreak(
                stream=f"checkpoint:{checkpoint.seq}",
                seq=checkpoint.seq,
                event_id=0,
                problem=CHECKPOINT,
                detail=message % {"seq": checkpoint.seq},
            ),
        )
    return heads
