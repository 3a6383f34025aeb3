"""Issue 13: the sweeps over records and their sanctions are set-based too — publication ending, list expiry and
execution-feedback mismatches cost the same statements whatever the rows due, overlapping sweeps do each row
once; every event a batch publishes writes the messages `notify` would write one by one; a message still
protects its recipient and case from deletion."""

from datetime import date, timedelta

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casework.models import HistoryEvent, Subject, User
from casework.services.escalation import escalation_sweep
from casework.services.history_verify import history_verify
from notifications.models import Outbox

from .sweep_world import SWEEP_DAY, at, build
from .test_races import race

# Set-based writes, SKIP LOCKED and concurrent connections are PostgreSQL's (on SQLite the sweeps take the ORM's
# one-by-one paths, which their own tests cover there).
pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="set-based sweeps run on PostgreSQL"
)


# -- the publication-end and feedback-mismatch sweeps (docs/domain.md §9.7, execution feedback) -------------


def penalties(count: int, *, first: int = 0) -> list:
    """`count` general penalties decided 2025-03-31 and published to 2026-03-30 (ended on the 31st), each with a
    sanction whose implementer reports it still applied while ours is lifted (a mismatch due 2026-03-31),
    and a representative of the subject who hears of the end."""
    from casework.models import CreditRecord, Sanction
    from integration.models import Endpoint, SanctionExecution

    world = build(0)
    subject = Subject.objects.get(code="91350102MA2Y3K4L5X")
    if not subject.representatives.exists():
        User.objects.create(username="sw-subject", role="subject", email="s@example.cn").subjects.add(subject)
        Endpoint.objects.create(
            name="全国平台", national=True, url="https://platform.example/push", secret="s"
        )
    records = []
    for n in range(first, first + count):
        record = CreditRecord.objects.create(
            subject=subject,
            kind="admin_penalty",
            severity="general",
            provider=world["market"],
            decided_on=date(2025, 3, 31),
            summary=f"处罚 {n}",
            publicity="published",
            publication_ends_on=date(2026, 3, 30),
        )
        sanction = Sanction.objects.create(
            record=record, measure="限制", implementer=world["market"], state="lifted"
        )
        SanctionExecution.objects.create(
            sanction=sanction,
            their_state="applied",
            mismatch_since=timezone.now() - timedelta(days=10),
            escalate_on=date(2026, 3, 31),
        )
        records.append(record)
    return records


ENDS = date(2026, 3, 31)


def sweeps():
    from casework.services.publication import publication_end_due
    from integration.feedback import feedback_mismatch_sweep

    return {"publication": publication_end_due, "feedback": feedback_mismatch_sweep}


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["publication", "feedback"])
def test_the_other_sweeps_cost_the_same_statements_for_10_or_50_due_rows(name):
    sweep = sweeps()[name]
    with at(ENDS):
        penalties(1)
        assert sweep() == 1  # warms the per-process caches
        counts = {}
        for n, first in ((10, 1), (50, 11)):
            penalties(n, first=first)
            with CaptureQueriesContext(connection) as captured:
                assert sweep() == n
            counts[n] = len(captured.captured_queries)
    assert counts[10] == counts[50], counts
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db
def test_publication_end_writes_what_it_wrote_one_by_one():
    """Each record: ended, its history event, the subject's message, a push to the national platform."""
    from casework.models import CreditRecord
    from integration.models import Delivery

    with at(ENDS):
        records = penalties(3)
        assert sweeps()["publication"](batch=2) == 3
        assert sweeps()["publication"]() == 0  # ends once
    assert set(CreditRecord.objects.values_list("publicity", flat=True)) == {"ended"}
    assert HistoryEvent.objects.filter(action="publication_period_ended").count() == 3
    ended = Outbox.objects.filter(event="record_publication_ended").order_by("id")
    assert [(m.recipient.username, m.channel) for m in ended] == [
        ("sw-subject", "inapp"),
        ("sw-subject", "email"),
    ] * 3
    assert {m.context["record"] for m in ended} == {str(r.public_id) for r in records}
    pushes = Delivery.objects.filter(event="record.publication_ended")
    assert sorted(p.payload["data"]["record"] for p in pushes) == sorted(str(r.public_id) for r in records)
    assert all(p.payload["delivery_id"] == str(p.public_id) for p in pushes)


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("name", ["publication", "feedback"])
def test_two_overlapping_other_sweeps_do_each_row_once(name):
    sweep = sweeps()[name]
    with at(ENDS):
        penalties(12)
        results = race(lambda: sweep(batch=3), lambda: sweep(batch=3))
    assert sum(results) == 12
    action = {"publication": "publication_period_ended", "feedback": "feedback_mismatch_escalated"}[name]
    assert HistoryEvent.objects.filter(action=action).count() == 12
    report = history_verify()
    assert report.ok, report


def listings(count: int, *, sanctions: int = 2) -> list:
    """`count` serious-dishonesty listings that ended 2026-03-30, each with `sanctions` measures in force."""
    from casework.models import CreditRecord, Sanction

    world = build(0)
    subject = Subject.objects.get(code="91350102MA2Y3K4L5X")
    if not subject.representatives.exists():
        User.objects.create(username="sw-subject", role="subject", email="s@example.cn").subjects.add(subject)
    records = []
    for n in range(count):
        record = CreditRecord.objects.create(
            subject=subject,
            kind="serious_list",
            severity="serious",
            provider=world["market"],
            decided_on=date(2024, 3, 30),
            summary=f"严重失信 {n}",
            publicity="published",
            listed_until=date(2026, 3, 30),
        )
        for m in range(sanctions):
            Sanction.objects.create(record=record, measure=f"限制 {m}", implementer=world["market"])
        records.append(record)
    return records


@pytest.mark.django_db
def test_list_expiry_ends_each_listing_and_lifts_its_measures_with_history_and_messages():
    """docs/domain.md: the listing ends by itself when its period is over; every measure is lifted."""
    from casework.models import CreditRecord, Sanction
    from casework.services.list_exit import list_exit_expire_due

    with at(ENDS):
        records = listings(3)
        assert list_exit_expire_due(batch=2) == 3
        assert list_exit_expire_due() == 0  # once
    assert set(CreditRecord.objects.values_list("publicity", flat=True)) == {"ended"}
    assert set(Sanction.objects.values_list("state", flat=True)) == {"lifted"}
    assert HistoryEvent.objects.filter(action="listing_expired").count() == 3
    assert HistoryEvent.objects.filter(action="lift").count() == 6
    expired = Outbox.objects.filter(event="list_exit_expired", channel="inapp")
    assert sorted(m.context["summary"] for m in expired) == sorted(r.summary for r in records)
    # The implementer's reviewers and head are told of each lifted measure (4 people, in-app and e-mail).
    assert Outbox.objects.filter(event="sanction_lift").count() == 6 * 4 * 2
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db(transaction=True)
def test_two_overlapping_expiry_sweeps_end_each_listing_once():
    from casework.services.list_exit import list_exit_expire_due

    with at(ENDS):
        listings(9, sanctions=1)
        results = race(lambda: list_exit_expire_due(batch=2), lambda: list_exit_expire_due(batch=2))
    assert sum(results) == 9
    assert HistoryEvent.objects.filter(action="listing_expired").count() == 9
    assert HistoryEvent.objects.filter(action="lift").count() == 9
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db
def test_list_expiry_costs_the_same_statements_for_10_or_50_listings():
    """Each listing with two measures: records, sanctions, history, messages, pushes and the feedback
    comparison are each written in a fixed number of statements per batch."""
    from casework.services.list_exit import list_exit_expire_due
    from integration.models import Endpoint

    Endpoint.objects.create(name="全国平台", national=True, url="https://platform.example/push", secret="s")
    counts = {}
    with at(ENDS):
        listings(1)
        assert list_exit_expire_due() == 1  # warms the per-process caches
        for n in (10, 50):
            listings(n)
            with CaptureQueriesContext(connection) as captured:
                assert list_exit_expire_due(batch=100) == n
            counts[n] = len(captured.captured_queries)
    assert counts[10] == counts[50], counts
    report = history_verify()
    assert report.ok, report


@pytest.mark.django_db
def test_every_event_batched_writes_the_rows_notify_writes_one_by_one():
    """ADR 0003's contract for the set-based form: for every voiced event — naming its recipients, or told to
    its subject's representatives — `notify_many` writes exactly the rows `notify` writes, dedupe keys and
    channels (SMS for urgent events) included."""
    import dataclasses

    from notifications.subscribers import notify, notify_many

    from .test_event_messages import sample, voiced

    subject = Subject.objects.create(
        kind="enterprise", code="91350102MA2Y3K4L5Y", name="甲公司", division="350102"
    )
    staff = [
        User.objects.create(
            username=f"sw-staff-{n}", role="reviewer", email=f"x{n}@example.cn", phone="13800000000"
        )
        for n in range(2)
    ]
    User.objects.create(username="sw-rep", role="subject", email="rep@example.cn").subjects.add(subject)
    case = build(1)["tasks"][0].case
    published = []
    for event_type in voiced():
        event = sample(event_type)
        names = {f.name for f in dataclasses.fields(event)}
        changes = {"subject_id": subject.pk} if "subject_id" in names else {}
        if "case_id" in names:
            changes["case_id"] = case.pk
        if "recipient_ids" in names:
            changes["recipient_ids"] = tuple(user.pk for user in reversed(staff))
        published.append(dataclasses.replace(event, **changes))

    def rows():
        return sorted(
            Outbox.objects.values_list(
                "event", "channel", "recipient_id", "case_id", "context", "dedupe_key"
            ),
            key=repr,
        )

    with transaction.atomic():
        for event in published:
            notify(event)
        one_by_one = rows()
        Outbox.objects.all().delete()
        notify_many(published)
        batched = rows()
    assert batched == one_by_one
    assert len(batched) > 2 * len(published)


@pytest.mark.django_db
def test_a_message_still_protects_its_recipient_and_case_from_deletion():
    """The outbox's keys are held by its writers, not by constraints in the database (docs/architecture.md):
    deleting a user or a case a message names is still refused."""
    from django.db.models import ProtectedError

    world = build(1)
    with at(SWEEP_DAY):
        escalation_sweep()
    message = Outbox.objects.filter(event="task_overdue").select_related("recipient").first()
    assert message is not None and message.recipient is not None
    with pytest.raises(ProtectedError):
        message.recipient.delete()
    with pytest.raises(ProtectedError):
        world["tasks"][0].case.delete()
    assert Outbox.objects.filter(pk=message.pk, recipient__isnull=False, case__isnull=False).exists()
