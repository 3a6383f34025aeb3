"""Invariant 3: side effects are outbox rows written with the change and delivered after commit, once."""

import threading

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
        if (
            task.name == "notifications.tasks.outbox_deliver_task"
            and InboxMessage.objects.count() >= expected
        ):
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
