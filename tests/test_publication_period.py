"""Issue 10 / docs/domain.md §9.7: publication ends by itself.

Administrative penalties are published from the decision date for 3 months (minor), 1 year (general) or
3 years (serious); the daily sweep takes them down at the end of the period exactly, with history, a push to
the national platform and a message to the subject.
"""

from datetime import date

import pytest
import time_machine

from casework.models import CreditRecord, HistoryEvent, Publicity
from casework.services.history import stream_of
from casework.services.publication import publication_end_due
from integration.models import Delivery, Endpoint
from notifications.models import Outbox

from .world import build_world

pytestmark = pytest.mark.django_db


def at(day: date, hour: int = 9):
    return time_machine.travel(f"{day.isoformat()} {hour:02d}:00 +0800", tick=False)


def penalty(admin_api, severity: str, decided_on: str):
    with at(date(2026, 11, 30)):
        world = build_world(admin_api, severity=severity, decided_on=decided_on)
        Endpoint.objects.create(
            name="全国平台", national=True, url="https://platform.example/push", secret="s"
        )
    return world, CreditRecord.objects.get(public_id=world.record["id"])


@pytest.mark.parametrize(
    ("severity", "decided_on", "last_published", "ends_on"),
    [
        ("minor", date(2025, 1, 2), date(2025, 4, 1), date(2025, 4, 2)),  # 3 months
        ("general", date(2025, 3, 31), date(2026, 3, 30), date(2026, 3, 31)),  # 1 year
        ("serious", date(2024, 2, 29), date(2027, 2, 27), date(2027, 2, 28)),  # 3 years, from a leap day
    ],
)
def test_rule_7_publication_period_ends_exactly_by_severity(
    admin_api, severity, decided_on, last_published, ends_on
):
    with at(decided_on):  # entered on the decision day
        world = build_world(admin_api, severity=severity, decided_on=decided_on.isoformat())
    record = CreditRecord.objects.get(public_id=world.record["id"])
    assert record.publication_ends_on == last_published  # the last day published (公示截止期)
    assert world.record["publication_ends_on"] == last_published.isoformat()
    with at(last_published, 1):
        assert publication_end_due() == 0
    record.refresh_from_db()
    assert record.publicity == Publicity.PUBLISHED
    with at(ends_on, 0):
        assert publication_end_due() == 1
        assert publication_end_due() == 0  # ends once
    record.refresh_from_db()
    assert record.publicity == Publicity.ENDED
    event = HistoryEvent.objects.filter(stream=stream_of(record)).order_by("-seq").first()
    assert (event.action, event.from_state, event.to_state) == (
        "publication_period_ended",
        "published",
        "ended",
    )
    assert event.data["publication_ends_on"] == last_published.isoformat()


def test_rule_7_minor_penalty_of_2025_01_02_is_not_published_on_2026_11_30(admin_api):
    """The fault of issue 10: still published 23 months after a 3-month period — with a push and a notice."""
    world, record = penalty(admin_api, "minor", "2025-01-02")
    with at(date(2026, 11, 30), 0):
        assert publication_end_due() == 1
    record.refresh_from_db()
    assert record.publicity == Publicity.ENDED
    push = Delivery.objects.get(event="record.publication_ended")
    assert push.payload["data"]["record"] == world.record["id"]
    assert push.payload["data"]["publication_ends_on"] == "2025-04-01"  # the last day it was published
    notice = Outbox.objects.filter(event="record_publication_ended")
    assert notice.exists() and {o.recipient.username for o in notice} == {"subject"}


def test_rule_7_records_without_a_stored_end_are_ended_from_their_decision_date(admin_api):
    """Rows imported or entered before the end was stored are taken down by decision date and severity."""
    world, record = penalty(admin_api, "general", "2025-06-01")
    CreditRecord.objects.filter(pk=record.pk).update(publication_ends_on=None)
    with at(date(2026, 5, 31)):
        assert publication_end_due() == 0
    with at(date(2026, 6, 1)):
        assert publication_end_due() == 1
    record.refresh_from_db()
    assert record.publication_ends_on == date(2026, 5, 31)


def test_rule_7_list_entries_and_disputed_records_are_left_alone(admin_api):
    with at(date(2026, 11, 30)):
        build_world(admin_api, kind="serious_list", decided_on="2020-01-02")
    with at(date(2026, 11, 30)):
        assert publication_end_due() == 0
