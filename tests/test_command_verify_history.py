"""`manage.py verify_history`: every kind of tampering with the hash-chained history is found."""

import pytest
from django.core.management.base import CommandError
from django.db import connection

from casework.models import (
    HistoryEvent,
)
from casework.services.history_verify import ALTERED, BROKEN_LINK, MISSING, history_verify

from .command_support import run, run_demo

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

HISTORY_TABLE = HistoryEvent._meta.db_table  # casework_historyevent


def chain_with_at_least(n: int) -> list[HistoryEvent]:
    """A stream with n or more events, in order (the demo's cases have long chains)."""
    for stream in HistoryEvent.objects.values_list("stream", flat=True).distinct().order_by("stream"):
        events = list(HistoryEvent.objects.filter(stream=stream).order_by("seq"))
        if len(events) >= n:
            return events
    raise AssertionError(f"no stream with {n} events")


def raw(sql: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(HISTORY_TABLE)), params)


def test_verify_history_passes_on_a_fresh_demo():
    run_demo()
    output = run("verify_history")

    events = HistoryEvent.objects.count()
    chains = HistoryEvent.objects.values("stream").distinct().count()
    assert events > 50
    assert f"History verified: {events} events in {chains} chains, no break found." in output
    result = history_verify(chunk_size=7)  # chunk boundaries fall inside chains: the result must not change
    assert (result.ok, result.events, result.chains, result.first_break) == (True, events, chains, None)


def test_verify_history_finds_a_row_altered_in_the_database():
    run_demo()
    events = chain_with_at_least(3)
    target = events[1]
    # The model refuses updates (append-only), so the tampering goes around it, as an intruder's would.
    raw("UPDATE {table} SET note = %s WHERE id = %s", ["看起来没问题", target.pk])

    with pytest.raises(CommandError) as error:
        run("verify_history")

    message = str(error.value)
    assert f"stream {target.stream}, seq {target.seq}, event id {target.pk}" in message
    assert "altered content" in message
    result = history_verify()
    assert result.broken_chains == 1
    assert (result.first_break.event_id, result.first_break.problem) == (target.pk, ALTERED)


def test_verify_history_finds_an_altered_row_whose_hash_was_recomputed():
    run_demo()
    events = chain_with_at_least(3)
    target = events[1]
    target.note = "看起来没问题"
    raw(
        "UPDATE {table} SET note = %s, hash = %s WHERE id = %s",
        [target.note, target.compute_hash(), target.pk],
    )

    # The row now matches its own hash, but the next event still points at the original one.
    found = history_verify().first_break
    assert (found.stream, found.event_id, found.problem) == (target.stream, events[2].pk, BROKEN_LINK)


def test_verify_history_finds_a_deleted_middle_event():
    run_demo()
    events = chain_with_at_least(3)
    raw("DELETE FROM {table} WHERE id = %s", [events[1].pk])

    with pytest.raises(CommandError) as error:
        run("verify_history")

    assert f"stream {events[2].stream}, seq {events[2].seq}, event id {events[2].pk}" in str(error.value)
    assert "missing event" in str(error.value)
    found = history_verify().first_break
    assert (found.event_id, found.problem) == (events[2].pk, MISSING)
    assert f"seq {events[1].seq} of the stream is missing" in found.detail


def test_verify_history_finds_a_changed_prev_hash():
    run_demo()
    events = chain_with_at_least(2)
    raw("UPDATE {table} SET prev_hash = %s WHERE id = %s", ["f" * 64, events[1].pk])

    with pytest.raises(CommandError, match=f"event id {events[1].pk}"):
        run("verify_history")
    found = history_verify().first_break
    assert (found.stream, found.event_id, found.problem) == (events[1].stream, events[1].pk, BROKEN_LINK)


def test_verify_history_counts_every_broken_chain_and_checks_one_stream_on_request():
    run_demo()
    first, second = (
        HistoryEvent.objects.filter(stream=stream).order_by("seq").first()
        for stream in HistoryEvent.objects.values_list("stream", flat=True).distinct().order_by("stream")[:2]
    )
    for event in (first, second):
        raw("UPDATE {table} SET action = %s WHERE id = %s", ["forged", event.pk])

    result = history_verify()
    assert result.broken_chains == 2 and [b.event_id for b in result.breaks] == [first.pk, second.pk]
    assert history_verify(max_breaks=1).broken_chains == 2
    untouched = HistoryEvent.objects.exclude(stream__in=[first.stream, second.stream]).first()
    assert "no break found" in run("verify_history", "--stream", untouched.stream)


def test_verify_history_of_an_unknown_stream_is_an_error_not_a_pass(db):
    # A mistyped stream must not read as "verified".
    with pytest.raises(CommandError, match="No history events in stream “case:YY-1999-000001”"):
        run("verify_history", "--stream", "case:YY-1999-000001")
