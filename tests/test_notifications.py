"""Issue #4: messages per event in the recipient's language, on the channels they can receive, never twice."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from casework.models import Department, User
from casework.services.calendar_warnings import calendar_warnings_send
from casework.services.registry import user_create
from notifications.models import Channel, InboxMessage, Outbox, OutboxState
from notifications.services import outbox_deliver, outbox_due_ids, outbox_notify
from notifications.tasks import outbox_dispatch_due_task

from .conftest import client_for
from .world import build_world, file_objection, queue

pytestmark = pytest.mark.django_db


def subject_user(language="zh-hans", email="", phone=""):
    user = User.objects.get(username="subject")
    user.language, user.email, user.phone = language, email, phone
    user.save()
    return user


def test_channels_follow_what_the_recipient_can_receive(admin_api):
    world = build_world(admin_api)
    subject_user(email="boss@example.cn", phone="13800000000")
    number = file_objection(world).json()["number"]
    filed = set(Outbox.objects.filter(event="case_filed").values_list("channel", flat=True))
    assert filed == {Channel.INAPP, Channel.EMAIL}  # not urgent: no SMS
    [task] = queue(world["credit"])
    world["credit"].post(
        f"/api/v1/tasks/{task['id']}/complete/",
        {"decision": "refuse", "note": "不属于受理范围"},
        format="json",
    )
    refused = set(Outbox.objects.filter(event="case_refused").values_list("channel", flat=True))
    assert refused == {Channel.INAPP, Channel.EMAIL, Channel.SMS}
    for row_id in outbox_due_ids():
        outbox_deliver(row_id)
    assert Outbox.objects.exclude(state=OutboxState.SENT).count() == 0
    row = Outbox.objects.get(event="case_refused", channel=Channel.EMAIL)
    # The outbox id travels as the Message-ID: the receiving side's key to drop a resend.
    [refusal] = [m for m in mail.outbox if m.extra_headers["Message-ID"] == f"<{row.public_id}@casework>"]
    assert (
        refusal.to == ["boss@example.cn"] and number in refusal.subject and "不属于受理范围" in refusal.body
    )


def test_messages_speak_the_recipients_language(admin_api):
    world = build_world(admin_api)
    subject_user(language="en")
    number = file_objection(world).json()["number"]
    outbox_dispatch_due_task()
    english = InboxMessage.objects.get(recipient__username="subject")
    assert english.title == f"Application {number} received"
    other = User.objects.get(username="other_subject")
    outbox_notify(
        event="case_filed", recipients=[other], context={"number": number, "office": "鼓楼区信用办"}
    )
    outbox_dispatch_due_task()
    chinese = InboxMessage.objects.get(recipient=other)
    assert number in chinese.title and any("\u4e00" <= ch <= "\u9fff" for ch in chinese.title)


def test_an_external_send_whose_worker_died_is_retried_after_its_lease_with_the_same_key(admin_api):
    world = build_world(admin_api)
    subject_user(email="boss@example.cn")
    file_objection(world)
    row = Outbox.objects.get(event="case_filed", channel=Channel.EMAIL)
    # A worker marked it `sending` and died before it could record the result.
    Outbox.objects.filter(pk=row.pk).update(
        state=OutboxState.SENDING, attempts=1, lease_until=timezone.now() + timedelta(minutes=5)
    )
    assert outbox_deliver(row.pk) is False  # the lease still runs: nobody else sends it
    assert mail.outbox == []
    with time_machine.travel(timezone.now() + timedelta(minutes=6)):
        assert row.pk in outbox_due_ids()
        assert outbox_deliver(row.pk) is True
        assert outbox_deliver(row.pk) is False
    [email] = mail.outbox
    assert email.extra_headers["Message-ID"] == f"<{row.public_id}@casework>"
    row.refresh_from_db()
    assert row.state == OutboxState.SENT and row.attempts == 2


def test_a_failing_channel_backs_off_and_gives_up(admin_api, settings):
    build_world(admin_api)
    subject_user(phone="13800000000")
    settings.NOTIFICATIONS_SMS_GATEWAY = "tests.test_notifications.BrokenGateway"
    outbox_notify(
        event="task_overdue", recipients=[User.objects.get(username="subject")], context={"number": "X"}
    )
    row = Outbox.objects.get(channel=Channel.SMS)
    waits = []
    for _ in range(8):
        attempt_at = row.next_attempt_at + timedelta(seconds=1)
        with time_machine.travel(attempt_at, tick=False):
            outbox_deliver(row.pk)
        row.refresh_from_db()
        waits.append((row.next_attempt_at - attempt_at).total_seconds())
    assert waits == sorted(waits) and waits[0] == 120 and waits[-2] == 2**7 * 60  # 2, 4, 8 … minutes
    assert row.state == OutboxState.FAILED and row.attempts == 8 and "gateway down" in row.last_error


class BrokenGateway:
    def send(self, *, phone, text, idempotency_key):
        raise ConnectionError("gateway down")


def test_inbox_counts_unread_and_marks_read(admin_api):
    world = build_world(admin_api)
    file_objection(world)
    outbox_dispatch_due_task()
    inbox = world["subject"].get("/api/v1/inbox/").json()
    assert inbox["unread"] == 1
    [message] = inbox["messages"]
    assert world["other_subject"].post(f"/api/v1/inbox/{message['id']}/read/").status_code == 404
    assert world["subject"].post(f"/api/v1/inbox/{message['id']}/read/").status_code == 200
    assert world["subject"].get("/api/v1/inbox/").json()["unread"] == 0
    assert world["subject"].post("/api/v1/inbox/read-all/").json() == {"marked": 0}


def test_supervisors_are_warned_once_a_day_about_provisional_due_dates(admin_api):
    with time_machine.travel("2026-12-28 10:00 +0800", tick=False):
        world = build_world(admin_api)
        number = file_objection(world).json()["number"]
        _, token = user_create(
            username="head",
            password="a-long-password-1",
            role="supervisor",
            departments=[Department.objects.get(code="xy-credit")],
        )
        assert calendar_warnings_send() == 1
        assert calendar_warnings_send() == 0  # once a day
        [row] = Outbox.objects.filter(event="calendar_warning")
        assert number in row.context["cases"] and "2027" in row.context["years"]
        listed = client_for(token).get("/api/v1/supervision/provisional-dates/").json()
        assert [c["number"] for c in listed] == [number]
    with time_machine.travel("2026-12-29 10:00 +0800", tick=False):
        assert calendar_warnings_send() == 1
