"""Proof that the history was not altered (DESIGN invariant 2): walk every hash chain and check each link.

Domain code beside the chain's writer (`history.py`), so a change to the chain's format changes both in one
place; `manage.py verify_history` and the supervisors' "verify history" button are thin callers. Read-only.

Each stream is a chain numbered 1, 2, 3 … whose events carry the hash of the one before (see
`casework.models.history`). A row edited in place no longer matches its own hash; a row deleted leaves a gap
in the numbering and a dangling `prev_hash`; a `prev_hash` rewritten no longer points at its predecessor.

The table is read once, ordered by (stream, seq) — the order of the unique index — in chunks, keeping only
the previous event of the current chain in memory: a province holds millions of events.

Not detectable from the chain alone: the newest events of a stream deleted together (the shorter chain is
still valid), or a whole chain rewritten with fresh hashes. Catching those needs the chain heads anchored
outside the table.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from casework.models import HistoryEvent

from .history import GENESIS

ALTERED = "altered"  # the row's content no longer matches its hash
BROKEN_LINK = "broken_link"  # prev_hash does not point at the previous event of the stream
MISSING = "missing"  # the numbering has a gap: events were removed


@dataclass(frozen=True)
class HistoryBreak:
    """The first bad event of one chain; everything after it in that chain is suspect."""

    stream: str
    seq: int
    event_id: int
    problem: str  # ALTERED | BROKEN_LINK | MISSING (the most telling one when several apply)
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
    result = HistoryCheck()
    events = HistoryEvent.objects.order_by("stream", "seq")
    if stream is not None:
        events = events.filter(stream=stream)
    current: str | None = None
    prev_seq, prev_hash, broken = 0, GENESIS, False
    for event in events.iterator(chunk_size=chunk_size):
        result.events += 1
        if progress is not None and result.events % progress_every == 0:
            progress(result.events)
        if event.stream != current:
            current, prev_seq, prev_hash, broken = event.stream, 0, GENESIS, False
            result.chains += 1
        if not broken:
            found = _check_link(event, prev_seq, prev_hash)
            if found is not None:
                broken = True
                result.broken_chains += 1
                if len(result.breaks) < max_breaks:
                    result.breaks.append(found)
        prev_seq, prev_hash = event.seq, event.hash
    return result
