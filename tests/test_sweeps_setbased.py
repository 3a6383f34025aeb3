"""Issue 13: the escalation sweep is set-based (docs/domain.md §5) — a batch costs the same statements whatever
the number of levels due in it, two overlapping sweeps still fire each level once, the history chains still
verify when a stream is written twice in one batch, and a failure half-way leaves nothing written."""

from collections import Counter

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casework import events
from casework.models import (
    Deadline,
    EscalationEvent,
    HistoryEvent,
    User,
)
from casework.services.escalation import escalation_sweep
from casework.services.history import history_record, history_record_many
from casework.services.history_verify import history_verify
from notifications.models import Outbox

from .sweep_world import DUE, SWEEP_DAY, at, build
from .test_races import race

# Set-based writes, SKIP LOCKED and concurrent connections are PostgreSQL's (on SQLite the sweeps take the ORM's
# one-by-one paths, which tests/test_escalation.py covers there).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="set-based sweeps run on PostgreSQL"
)

# Tasks started Monday 23 November with 5 working days: due Monday 30th, the 催办 due Tuesday 1 December.


def assert_each_level_once(n_tasks: int) -> None:
    per_level = Counter(EscalationEvent.objects.values_list("deadline_id", "level"))
    assert set(per_level.values()) == {1}
    # remind and remind_before_due recorded (skipped: overtaken), overdue announced, for every task.
    assert len(per_level) == 3 * n_tasks
    assert HistoryEvent.objects.filter(action="escalated:overdue").count() == n_tasks
    assert not Deadline.objects.filter(next_escalation_on__lte=SWEEP_DAY).exists()


@pytest.mark.django_db
def test_a_batch_costs_the_same_statements_for_10_or_50_due_levels():
    """docs/domain.md §5 at province scale: the statements of a sweep do not grow with the levels due."""
    build(1)
    with at(SWEEP_DAY):
        escalation_sweep()  # warms the per-process caches (calendar years, rule sets)
    counts = {}
    for n, first in ((10, 1), (50, 11)):
        build(n, first=first)
        with at(SWEEP_DAY), CaptureQueriesContext(connection) as captured:
            assert escalation_sweep(batch=500) == n
        counts[n] = len(captured.captured_queries)
    assert counts[10] == counts[50], counts
    assert counts[50] <= 16, counts  # candidates, 2 locks, fired levels, recipients, 4 inserts, 1 update …
    # Realistic recipients: 3 reviewers and the head, in-app and e-mail each.
    assert Outbox.objects.filter(event="task_overdue").count() == 8 * 61


@pytest.mark.django_db
def test_the_rows_are_those_the_one_by_one_path_writes():
    """The set-based messages are the rows `publish` writes event by event (the domain-event contract)."""
    world = build(3)
    with at(SWEEP_DAY):
        assert escalation_sweep() == 3
    swept = sorted(
        Outbox.objects.values_list("event", "channel", "recipient_id", "case_id", "context", "dedupe_key")
    )
    Outbox.objects.all().delete()
    with at(SWEEP_DAY), transaction.atomic():
        for task in world["tasks"]:
            events.publish(
                events.TaskOverdue(
                    case_id=task.case_id,
                    number=task.case.number,
                    step=task.step,
                    department=world["market"].name,
                    due_on=DUE,
                    recipient_ids=tuple(
                        User.objects.filter(departments=world["market"])
                        .order_by("id")
                        .values_list("pk", flat=True)
                    ),
                )
            )
    one_by_one = sorted(
        Outbox.objects.values_list("event", "channel", "recipient_id", "case_id", "context", "dedupe_key")
    )
    assert swept == one_by_one and len(swept) == 3 * 8


@pytest.mark.django_db
def test_a_stream_written_twice_in_one_batch_still_chains():
    """ADR 0001: seq n+1, n+2 each linked to the one before, after a head read once; the verifier (history_verify) agrees."""
    world = build(2)
    first, second = world["tasks"]
    with at(SWEEP_DAY), transaction.atomic():
        history_record(target=first, action="created", actor=None, case=first.case)  # an existing head
        entries = [
            {"target": first, "action": "escalated:remind", "actor": None, "case": first.case},
            {"target": second, "action": "escalated:remind", "actor": None, "case": second.case},
            {
                "target": first,
                "action": "escalated:overdue",
                "actor": None,
                "case": first.case,
                "data": {"a": 1},
            },
            {"target": first, "action": "note", "actor": None, "note": "第三", "from_state": "open"},
        ]
        written = history_record_many(entries)
    assert [(e.stream, e.seq) for e in written] == [
        (f"casetask:{first.public_id}", 2),
        (f"casetask:{second.public_id}", 1),
        (f"casetask:{first.public_id}", 3),
        (f"casetask:{first.public_id}", 4),
    ]
    chain = list(HistoryEvent.objects.filter(stream=f"casetask:{first.public_id}").order_by("seq"))
    assert [e.prev_hash for e in chain[1:]] == [e.hash for e in chain[:-1]]
    assert [e.hash for e in chain] == [e.compute_hash() for e in chain]
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db
def test_the_sweeps_history_verifies():
    build(5)
    with at(SWEEP_DAY):
        escalation_sweep(batch=2)
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db
@pytest.mark.parametrize("failing", ["messages", "history", "rearm"])
def test_an_exception_mid_batch_leaves_nothing_half_written(monkeypatch, failing):
    """Escalation rows, history, messages and the re-armed day are one transaction: all or nothing."""
    import casework.services.escalation as escalation
    import notifications.subscribers as subscribers

    def boom(*args, **kwargs):
        raise RuntimeError("broken half-way")

    target = {
        "messages": (subscribers, "outbox_notify_many"),
        "history": (escalation, "history_record_many"),
        "rearm": (escalation.bulk, "update"),
    }[failing]
    build(4)
    armed = sorted(Deadline.objects.values_list("pk", "next_escalation_on"))
    monkeypatch.setattr(*target, boom)
    with at(SWEEP_DAY), pytest.raises(RuntimeError):
        escalation_sweep()
    assert not EscalationEvent.objects.exists()
    assert not HistoryEvent.objects.filter(action__startswith="escalated:").exists()
    assert not Outbox.objects.exists()
    assert sorted(Deadline.objects.values_list("pk", "next_escalation_on")) == armed
    monkeypatch.undo()
    with at(SWEEP_DAY):
        assert escalation_sweep() == 4  # the next sweep does it all, once
    assert_each_level_once(4)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("batch", [3, 500])
def test_two_overlapping_sweeps_fire_each_level_once(batch):
    """Two sweeps at the same instant, on their own connections (SKIP LOCKED between them)."""
    build(12)
    with at(SWEEP_DAY):
        results = race(lambda: escalation_sweep(batch=batch), lambda: escalation_sweep(batch=batch))
    assert sum(results) == 12
    assert_each_level_once(12)
    assert Outbox.objects.filter(event="task_overdue").count() == 12 * 8
    report = history_verify()
    assert report.ok, report
