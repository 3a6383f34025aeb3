"""Issue 11 (ADR 0001): anchored history. A periodic checkpoint of every stream head, append-only and
published; `verify_history` then reports truncation — the newest events of a stream deleted, or a whole
stream — and a head rewritten with a fresh hash, naming the stream and the first bad event."""

import pytest
import time_machine
from django.core.management.base import CommandError
from django.db import connection

from casework.models import CheckpointHead, HistoryCheckpoint, HistoryEvent
from casework.services.checkpoints import history_checkpoint, merkle_root
from casework.services.history_verify import CHECKPOINT, REWRITTEN, TRUNCATED, history_verify
from integration.models import Delivery, Endpoint
from notifications.models import Outbox

from .command_support import run
from .world import build_world, file_objection, queue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


def raw(sql: str, params: list, table=HistoryEvent) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql.format(table=connection.ops.quote_name(table._meta.db_table)), params)


@pytest.fixture
def world(admin_api):
    """Sanctions suspended by an accepted objection: their streams have two events each."""
    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api)
        Endpoint.objects.create(
            name="全国平台", national=True, url="https://platform.example/push", secret="s"
        )
        file_objection(world)
        [task] = queue(world["credit"])
        world["credit"].post(f"/api/v1/tasks/{task['id']}/complete/", {"decision": "accept"}, format="json")
    return world


def sanction_stream(world) -> list[HistoryEvent]:
    events = list(HistoryEvent.objects.filter(stream=f"sanction:{world.sanctions[0]['id']}").order_by("seq"))
    assert [e.action for e in events] == ["created", "suspend"]
    return events


def test_a_checkpoint_anchors_every_head_and_is_published(world):
    checkpoint = history_checkpoint()
    streams = HistoryEvent.objects.values("stream").distinct().count()
    assert (checkpoint.seq, checkpoint.streams, checkpoint.events) == (
        1,
        streams,
        HistoryEvent.objects.count(),
    )
    heads = {(h.stream, h.seq, h.hash) for h in checkpoint.heads.all()}
    assert len(heads) == streams and checkpoint.root == merkle_root(heads)
    assert Outbox.objects.filter(event="history_checkpoint", recipient__username="admin").exists()
    push = Delivery.objects.get(event="history.checkpoint")
    assert push.payload["data"]["root"] == checkpoint.root
    # Nothing moved: the next checkpoint anchors no head again, but chains to the first.
    second = history_checkpoint()
    assert (second.seq, second.heads.count(), second.root, second.prev_digest) == (
        2,
        0,
        checkpoint.root,
        checkpoint.digest,
    )
    assert "Checked against checkpoint #2." in run("verify_history")
    with pytest.raises(TypeError):
        HistoryCheckpoint.objects.all().delete()


def test_deleting_the_newest_event_of_a_stream_is_reported_after_a_checkpoint(world):
    created, suspended = sanction_stream(world)
    history_checkpoint()
    raw("DELETE FROM {table} WHERE id = %s", [suspended.pk])
    assert history_verify(stream=created.stream).ok is False
    # A checkpoint taken after the truncation keeps the longer anchor: the loss stays visible.
    history_checkpoint()
    with pytest.raises(CommandError) as error:
        run("verify_history")
    message = str(error.value)
    assert f"stream {created.stream}, seq 2" in message and "truncated" in message
    result = history_verify()
    assert (result.broken_chains, result.first_break.problem, result.first_break.seq) == (1, TRUNCATED, 2)


def test_deleting_a_whole_stream_is_reported_after_a_checkpoint(world):
    created, suspended = sanction_stream(world)
    history_checkpoint()
    raw("DELETE FROM {table} WHERE stream = %s", [created.stream])
    result = history_verify()
    assert result.broken_chains == 1
    gone = result.first_break
    assert (gone.stream, gone.seq, gone.problem) == (created.stream, 1, TRUNCATED)
    assert "whole stream" in gone.detail
    with pytest.raises(CommandError) as error:
        run("verify_history", stream=created.stream)
    assert created.stream in str(error.value)


def test_a_head_rewritten_with_a_fresh_hash_is_reported(world):
    """The newest event edited and re-hashed passes the chain walk (nothing links to it) but not the anchor."""
    _created, suspended = sanction_stream(world)
    history_checkpoint()
    suspended.note = "从未暂停"
    raw(
        "UPDATE {table} SET note = %s, hash = %s WHERE id = %s",
        [suspended.note, suspended.compute_hash(), suspended.pk],
    )
    result = history_verify()
    assert (result.first_break.stream, result.first_break.seq, result.first_break.problem) == (
        suspended.stream,
        2,
        REWRITTEN,
    )
    assert result.first_break.event_id == suspended.pk


def test_a_tampered_anchor_is_reported(world):
    created, _suspended = sanction_stream(world)
    history_checkpoint()
    raw("UPDATE {table} SET seq = 1 WHERE stream = %s", [created.stream], table=CheckpointHead)
    result = history_verify()
    assert result.first_break.problem == CHECKPOINT
