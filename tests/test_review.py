"""Issue 10, docs/domain.md §9.4 — 复核: the review of an objection's result.

After an objection result the subject may ask once, within 15 working days of the result notice, for a
review; the credit office one level up decides it within 5 working days with the objection's outcomes; the
review is its own case, linked to the objection on both sides, in the API and in history.
"""

import threading
from datetime import date

import pytest
import time_machine
from django.db import connection

from casework.calendar import add_working_days
from casework.models import Case, CreditRecord, Notice, Sanction
from notifications.models import Outbox

from .review_world import (
    ask_review,
    case_of,
    complete,
    decide_objection,
    decided_objection,
    open_tasks,
)
from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db


def test_review_is_its_own_case_linked_to_the_objection_and_decided_one_level_up(admin_api):
    """§9.4: linked (FK, both case pages, API, history); its own clocks: 5 working days on the calendar."""
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel("2026-09-30 09:00 +0800", tick=False):  # the day before National Day
        review = created(ask_review(world, objection))
    assert review["number"].startswith("FH-2026-") and review["kind"] == "review"
    assert review["review_of"] == objection and review["receiving_office"] == "xy-city"
    assert review["state"] == "verifying"
    # 5 working days from 2026-09-30 across the National Day holiday (Oct 1–7; Sat Oct 10 is worked).
    expected_due = add_working_days(date(2026, 9, 30), 5)
    assert expected_due == date(2026, 10, 13)
    clocks = {d["purpose"]: d for d in review["deadlines"]}
    assert clocks["legal"]["budget_days"] == 5 and clocks["legal"]["due_on"] == "2026-10-13"
    [task] = review["tasks"]
    assert (task["step"], task["department"], task["due_on"]) == ("review", "xy-city", "2026-10-13")
    assert "upheld" in task["decisions"] and "deleted" in task["decisions"]
    # The objection names its review; both histories say so.
    first = case_of(world, objection)
    assert first["reviews"] == [review["number"]] and first["review_of"] is None
    assert any(e["action"] == "review_requested" and e["note"] == review["number"] for e in first["history"])
    filed = next(e for e in case_of(world, review["number"])["history"] if e["action"] == "filed")
    assert filed["stream"] == f"case:{review['number']}"
    # The district office whose objection is reviewed follows the review.
    assert case_of(world, review["number"], "credit")["review_of"] == objection
    # The record is under objection again while the office above reviews.
    assert CreditRecord.objects.get(public_id=world.record["id"]).publicity == "disputed"
    # The district office does not decide it: its queue has nothing of the review.
    assert all(t["case"] != review["number"] for t in world["credit"].get("/api/v1/tasks/").json())


@pytest.mark.parametrize(
    ("receiving", "reviewing"),
    [("xy-credit", "xy-city"), ("xy-city", "xy-province"), ("xy-province", "xy-province")],
)
def test_review_goes_one_level_up_and_the_province_reviews_its_own(admin_api, receiving, reviewing):
    """§9.4: the credit office one level up decides; a province office has none above and reviews its own."""
    from casework.models import Department
    from casework.services.offices import office_above

    build_world(admin_api)
    assert office_above(Department.objects.get(code=receiving)).code == reviewing


def test_review_upheld_confirms_the_result_and_clears_the_mark(admin_api):
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        number = created(ask_review(world, objection))["number"]
        [task] = open_tasks(world, number)
        complete(world, task, "upheld", note="原处理结果正确, 予以维持。")
    review = case_of(world, number)
    assert (review["state"], review["outcome"]) == ("closed", "upheld")
    record = CreditRecord.objects.get(public_id=world.record["id"])
    assert record.publicity == "published"
    assert {s.state for s in Sanction.objects.filter(record=record)} == {"active"}
    assert any(e["action"] == "review_decided" for e in case_of(world, objection)["history"])
    assert Notice.objects.filter(case__number=number, kind="review_result").count() == 1
    events = list(Outbox.objects.filter(case__number=number).values_list("event", flat=True).distinct())
    assert "review_decided" in events and "case_filed" in events


def add_record(world) -> dict:
    """A second record of the world's subject, of the same kind and provider, with the same two sanctions."""
    record = created(
        world.admin.post(
            "/api/v1/records/",
            {
                "subject": world.subject["id"],
                "kind": world.record["kind"],
                "severity": "serious",
                "provider": "xy-market",
                "decided_on": "2026-03-02",
                "summary": "未按规定公示年度报告 (闽榕市监罚〔2026〕13号)",
            },
            format="json",
        )
    )
    for measure, implementer in [("限制参与政府采购", "xy-finance"), ("限制享受税收优惠", "xy-tax")]:
        created(
            world.admin.post(
                "/api/v1/sanctions/",
                {"record": record["id"], "measure": measure, "implementer": implementer},
                format="json",
            )
        )
    return record


def settled(record_id) -> tuple:
    record = CreditRecord.objects.get(public_id=record_id)
    return record.publicity, sorted(s.state for s in record.sanctions.all())


TEXT_OF = {
    "corrected": {"correction": "更正后的处罚内容"},
    "supplemented": {"supplement": "补充: 已于次日改正"},
}


@pytest.mark.parametrize(
    ("outcome", "record_kind"),
    [
        ("upheld", "admin_penalty"),
        ("corrected", "admin_penalty"),
        ("supplemented", "admin_penalty"),
        ("deleted", "admin_penalty"),
        ("publication_stopped", "admin_penalty"),
        ("removed_from_list", "serious_list"),
    ],
)
def test_a_review_settles_as_the_objection_outcome_would(admin_api, outcome, record_kind):
    """§9.4 'same outcomes': record, its mark and its sanctions end as they would after that objection outcome
    (docs/domain.md §9.2), through the one settling function."""
    data = TEXT_OF.get(outcome, {})
    world, reviewed_objection = decided_objection(admin_api, "upheld", record_kind=record_kind)
    reviewed_record = world.record
    # The same outcome decided by an objection directly, on a twin record.
    with time_machine.travel("2026-09-29 11:00 +0800", tick=False):
        world.record = add_record(world)
        decide_objection(world, created(file_objection(world))["number"], outcome, **data)
    direct = settled(world.record["id"])
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        number = created(ask_review(world, reviewed_objection))["number"]
        [task] = open_tasks(world, number)
        complete(world, task, outcome, note="原处理结果有误。", **data)
    assert settled(reviewed_record["id"]) == direct
    assert direct[0] != "disputed"
    if outcome == "corrected":
        assert CreditRecord.objects.get(public_id=reviewed_record["id"]).summary == "更正后的处罚内容"
    review = case_of(world, number)
    assert review["outcome"] == outcome
    restored = any(e["action"] == "reputation_restored" for e in review["history"])
    assert restored is (outcome != "upheld")
    assert ("active" in direct[1]) is (outcome == "upheld")
    assert Notice.objects.filter(case__number=number, kind="review_result").count() == 1


# -- the window: 15 working days after the result notice (2026-09-29), across National Day ----------------------
# Working days after Tue 2026-09-29: Sep 30; Oct 1–7 are holidays; Oct 8, 9, Sat Oct 10 (a make-up working day,
# docs/domain.md §9.15), 12–16, 19–23, 26 → the 15th is Mon 2026-10-26. Counting weekdays only would end on Oct 20.
LAST_DAY = date(2026, 10, 26)


def test_the_window_ends_on_the_15th_working_day_on_the_calendar():
    assert add_working_days(date(2026, 9, 29), 15) == LAST_DAY


@pytest.mark.parametrize(
    ("filed_on", "accepted"),
    [
        ("2026-09-30", True),  # the next day
        ("2026-10-05", True),  # during the holiday
        ("2026-10-21", True),  # after a weekday count would have closed it
        ("2026-10-24", True),  # a Saturday before the last day
        ("2026-10-26", True),  # the last day itself
        ("2026-10-27", False),  # the day after
        ("2026-11-30", False),
    ],
)
def test_review_window_is_15_working_days_from_the_result_notice(admin_api, filed_on, accepted):
    """§9.4: within 15 working days of the result notice [product default]; past it, refused naming the last day."""
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel(f"{filed_on} 16:00 +0800", tick=False):
        window = world["subject"].get(f"/api/v1/cases/{objection}/review/").json()
        response = ask_review(world, objection)
    assert (window["notified_on"], window["last_day"]) == ("2026-09-29", "2026-10-26")
    assert window["available"] is accepted
    if accepted:
        assert response.status_code == 201, response.content
    else:
        assert response.status_code == 400
        [message] = response.json()["objection"]
        assert "2026-10-26" in message and "15" in message
        assert not Case.objects.filter(kind="review").exists()


def test_review_is_asked_once(admin_api):
    """§9.4 'once': a second request while the first is open names it; after it is decided, refused as well."""
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        first = created(ask_review(world, objection))["number"]
        again = ask_review(world, objection)
        assert again.status_code == 400 and first in again.json()["objection"][0]
        [task] = open_tasks(world, first)
        complete(world, task, "upheld", note="维持。")
        after = ask_review(world, objection)
    assert after.status_code == 400
    [message] = after.json()["objection"]
    assert first in message and "once" in message
    assert Case.objects.filter(kind="review").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_review_requests_make_one_review(admin_api):
    """§9.4 once, under a race: the objection's row lock lets one request through; the other names it (400)."""
    world, objection = decided_objection(admin_api, "upheld")
    results: list[int] = []
    barrier = threading.Barrier(2)

    def request():
        try:
            barrier.wait()
            with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
                results.append(ask_review(world, objection).status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=request) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == [201, 400]
    assert Case.objects.filter(kind="review").count() == 1


def test_refusals_name_what_is_wrong(admin_api):
    """§9.4: not an objection, not decided, not the subject's own case; each a field-level message."""
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        world = build_world(admin_api)
        objection = created(file_objection(world))["number"]
        open_one = ask_review(world, objection)
        assert open_one.status_code == 400 and "no result yet" in open_one.json()["objection"][0]
        decide_objection(world, objection, "upheld")
        # Another subject's user cannot see the case at all; staff of another department may not ask.
        assert ask_review(world, objection, client="other_subject").status_code == 404
        assert ask_review(world, objection, client="market").status_code in (403, 404)
        review = created(ask_review(world, objection))["number"]
        # A review is not an objection: its own result is not reviewed again.
        of_review = ask_review(world, review)
        assert (
            of_review.status_code == 400
            and "only the result of an objection" in of_review.json()["objection"][0]
        )
        blank = ask_review(world, objection, statement=" ")
        assert blank.status_code == 400


def test_refusal_in_chinese_names_the_last_day(admin_api):
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel("2026-10-27 09:00 +0800", tick=False):
        response = world["subject"].post(
            f"/api/v1/cases/{objection}/review/",
            {"statement": "请复核。"},
            format="json",
            HTTP_ACCEPT_LANGUAGE="zh-hans",
        )
    assert response.status_code == 400
    [message] = response.json()["objection"]
    assert "2026-10-26" in message and "复核" in message


def test_a_review_cannot_be_filed_as_a_new_case(admin_api):
    """The one filing path: a review names its objection; POST /cases/ refuses kind=review."""
    with time_machine.travel("2026-09-29 10:00 +0800", tick=False):
        world = build_world(admin_api)
        response = world["subject"].post(
            "/api/v1/cases/",
            {
                "kind": "review",
                "subject": world.subject["id"],
                "records": [world.record["id"]],
                "statement": "复核",
                "commitment_signed": True,
            },
            format="json",
        )
    assert response.status_code == 400 and "kind" in response.json()
