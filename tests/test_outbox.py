"""Invariant 3: side effects are outbox rows written with the change and delivered after commit, once."""

import threading
from datetime import timedelta

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import task_postrun
from django.db import transaction

from config.celery import app
from notifications.models import InboxMessage, Outbox, OutboxState
from notifications.services import outbox_deliver, outbox_notify
from notifications.tasks import outbox_dispatch_due_task

from .world import build_world, file_objection


@pytest.mark.django_db
def test_a_rolled_back_change_leaves_no_message(admin_api):
    world = build_world(admin_api)
    from casework.models import User

    user = User.objects.get(username="subject")
    with pytest.raises(RuntimeError), transaction.atomic():
        outbox_notify(event="case_filed", recipients=[user], context={"number": "YY-1"})
        raise RuntimeError("the change failed")
    assert not Outbox.objects.filter(event="case_filed").exists()
    assert file_objection(world).status_code == 201
    assert Outbox.objects.filter(event="case_filed", recipient=user).count() == 1


@pytest.mark.django_db
def test_delivery_is_at_most_once(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    row = Outbox.objects.get(event="case_filed")
    assert outbox_deliver(row.pk) is True
    assert outbox_deliver(row.pk) is False  # a redelivered task finds the row sent and does nothing
    assert outbox_dispatch_due_task() == 0
    message = InboxMessage.objects.get(outbox=row)
    assert message.recipient.username == "subject" and row.case.number in message.title
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.attempts == 1


@pytest.mark.worker
@pytest.mark.django_db(transaction=True)
def test_a_real_worker_delivers_after_commit(admin_api):
    world = build_world(admin_api)
    delivered = threading.Event()
    expected = 1  # the subject's "case filed" message

    def on_done(sender=None, task_id=None, task=None, retval=None, **kwargs):
        if task.name == "casework.tasks.outbox_dispatch_task" and InboxMessage.objects.count() >= expected:
            delivered.set()

    task_postrun.connect(on_done, weak=False)
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=60):
            response = file_objection(world)  # commits, then enqueues the delivery on the real broker
            assert response.status_code == 201
            assert delivered.wait(timeout=30), "the worker did not deliver the message"
    finally:
        task_postrun.disconnect(on_done)

    [message] = InboxMessage.objects.all()
    assert response.json()["number"] in message.title
    assert Outbox.objects.get(event="case_filed").state == OutboxState.SENT


@pytest.mark.django_db
def test_one_broker_message_per_transaction_whatever_it_queues(admin_api, django_capture_on_commit_callbacks):
    """Issue 9 (one outbox kernel) / issue 13: a change that queues several messages, deliveries and notices
    costs one broker message after commit, carrying every row by kind."""
    from celery.signals import before_task_publish

    from casework import outbox
    from casework.models import User

    world = build_world(admin_api)
    users = list(User.objects.filter(username__in=["subject", "admin"]))
    published = []

    def count(sender=None, body=None, **kwargs):
        published.append((sender, body))

    before_task_publish.connect(count, weak=False)
    try:
        with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
            rows = outbox_notify(event="case_filed", recipients=users, context={"number": "YY-1"})
            with pytest.raises(RuntimeError), transaction.atomic():  # a rolled-back savepoint drops its rows
                outbox_notify(event="case_filed", recipients=users, context={"number": "YY-2"})
                raise RuntimeError
            rows += outbox_notify(event="case_filed", recipients=users, context={"number": "YY-3"})
    finally:
        before_task_publish.disconnect(count)
    assert [sender for sender, _ in published] == ["casework.tasks.outbox_dispatch_task"]
    [(_, body)] = published
    args = body[0] if isinstance(body, tuple) else body["args"]
    sent = set(args[0]["notification"])
    assert {row.pk for row in rows} <= sent
    # Ids of rows rolled back with the savepoint may travel too: delivering them finds nothing to do.
    assert not Outbox.objects.filter(pk__in=sent - {row.pk for row in rows}).exists()
    assert outbox.dispatch(args[0]) == len(rows)
    assert world  # the world's own filings were committed before the transaction under test


@pytest.mark.django_db
def test_a_failed_attempt_backs_off_then_gives_up(admin_api, settings):
    """The kernel's retry ladder: 2, 4, 8 … minutes apart, `failed` after the kind's maximum attempts."""
    import time_machine
    from django.utils import timezone

    from casework import outbox
    from casework.models import User

    build_world(admin_api)
    settings.NOTIFICATIONS_SEND_LEASE_SECONDS = 60
    user = User.objects.get(username="subject")
    user.email = "subject@example.org"
    user.save()
    settings.EMAIL_BACKEND = "tests.test_outbox.BrokenBackend"
    with transaction.atomic():
        [email] = [
            r
            for r in outbox_notify(event="case_filed", recipients=[user], context={"number": "YY-9"})
            if r.channel == "email"
        ]
    start = timezone.now()
    for attempt in range(1, 9):
        with time_machine.travel(start + timedelta(days=attempt), tick=False):
            assert outbox.deliver("notification", email.pk) is False
            email.refresh_from_db()
            assert email.attempts == attempt and "smtp down" in email.last_error
            if attempt < 8:
                assert email.state == OutboxState.PENDING
                assert email.next_attempt_at == timezone.now() + outbox.backoff(attempt)
                assert outbox.deliver("notification", email.pk) is False  # not due before its back-off
    assert email.state == OutboxState.FAILED
    assert outbox.due_ids("notification") == [
        r.pk for r in Outbox.objects.filter(state="pending", channel="inapp")
    ]


class BrokenBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionError("smtp down")
