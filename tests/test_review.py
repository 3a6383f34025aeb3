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

from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db

CLIENT_OF = {
    "xy-credit": "credit",
    "xy-market": "market",
    "xy-tax": "tax",
    "xy-court": "court",
    "xy-city": "city",
    "xy-province": "province",
}
ACCEPTING = ("accept", "forward", "verify")  # whatever the objection flow's intermediate steps call "go on"


def case_of(world, number: str, client: str = "subject") -> dict:
    response = world[client].get(f"/api/v1/cases/{number}/")
    assert response.status_code == 200, response.content
    return response.json()


def open_tasks(world, number: str) -> list[dict]:
    tasks = world.admin.get(f"/api/v1/cases/{number}/").json()["tasks"]
    return [t for t in tasks if t["state"] in ("open", "claimed")]


def complete(world, task: dict, decision: str, note: str = "经核实。", **data) -> None:
    client = world[CLIENT_OF[task["department"]]]
    response = client.post(
        f"/api/v1/tasks/{task['id']}/complete/", {"decision": decision, "note": note, **data}, format="json"
    )
    assert response.status_code == 200, response.content


def decide_objection(world, number: str, outcome: str, **data) -> dict:
    """Walk the objection's steps (acceptance, any forwarding) to its verification and decide `outcome`."""
    for _step in range(6):
        tasks = open_tasks(world, number)
        if not tasks:
            break
        [task] = tasks
        if outcome in task["decisions"]:
            complete(world, task, outcome, **data)
            continue
        going_on = [d for d in task["decisions"] if d in ACCEPTING or d.startswith("forward")]
        complete(world, task, going_on[0])
    case = case_of(world, number)
    assert case["state"] == "closed" and case["outcome"] == outcome, case
    return case


def decided_objection(
    admin_api,
    outcome: str = "upheld",
    at: str = "2026-09-29 10:00 +0800",
    record_kind="admin_penalty",
    **data,
):
    with time_machine.travel(at, tick=False):
        world = build_world(admin_api, kind=record_kind)
        number = created(file_objection(world))["number"]
        decide_objection(world, number, outcome, **data)
    return world, number


def ask_review(
    world, number: str, client: str = "subject", statement: str = "原核实意见有误, 请上一级复核。"
):
    return world[client].post(f"/api/v1/cases/{number}/review/", {"statement": statement}, format="json")


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


# -- web: the portal's 「申请复核」 on a decided objection, and the links on both case pages ----------------------


def web_client(username: str, language: str = "en"):
    from django.test import Client

    from .web_world import user

    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


def test_portal_offers_the_review_with_its_last_day_and_files_it(admin_api):
    world, objection = decided_objection(admin_api, "upheld")
    client = web_client("subject")
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        page = client.get(f"/portal/cases/{objection}/").content.decode()
        assert 'data-testid="review-offer"' in page and "2026-10-26" in page and "福州市" in page
        refused = client.post(f"/portal/cases/{objection}/review/", {"statement": ""})
        assert refused.status_code == 400 and not Case.objects.filter(kind="review").exists()
        response = client.post(
            f"/portal/cases/{objection}/review/", {"statement": "罚款金额与决定书不一致。"}
        )
    review = Case.objects.get(kind="review")
    assert response.status_code == 302 and response.url == f"/portal/cases/{review.number}/"
    review_page = client.get(response.url).content.decode()
    assert 'data-testid="review-of"' in review_page and f"/portal/cases/{objection}/" in review_page
    objection_page = client.get(f"/portal/cases/{objection}/").content.decode()
    assert 'data-testid="reviewed-by"' in objection_page and review.number in objection_page
    # Asked once: the button is gone.
    assert 'data-testid="review-offer"' not in objection_page


def test_portal_hides_the_review_after_the_window_and_refuses_a_late_post_naming_the_last_day(admin_api):
    world, objection = decided_objection(admin_api, "upheld")
    client = web_client("subject", language="zh-hans")
    with time_machine.travel("2026-10-27 09:00 +0800", tick=False):
        page = client.get(f"/portal/cases/{objection}/").content.decode()
        assert 'data-testid="review-offer"' not in page
        late = client.post(f"/portal/cases/{objection}/review/", {"statement": "请复核。"})
    assert late.status_code == 400
    body = late.content.decode()
    assert "2026-10-26" in body and "复核申请期限" in body
    assert not Case.objects.filter(kind="review").exists()


def test_the_office_above_sees_the_review_in_its_queue_and_decides_it_on_the_web(admin_api):
    world, objection = decided_objection(admin_api, "upheld")
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        number = created(ask_review(world, objection))["number"]
    [task] = open_tasks(world, number)
    client = web_client("city")
    queue_page = client.get("/workspace/").content.decode()
    assert number in queue_page
    task_page = client.get(f"/workspace/tasks/{task['id']}/").content.decode()
    assert objection in task_page  # the review names the objection it reviews
    with time_machine.travel("2026-10-12 09:00 +0800", tick=False):
        response = client.post(
            f"/workspace/tasks/{task['id']}/decide/", {"decision": "deleted", "note": "原处罚已被撤销。"}
        )
    assert response.status_code in (200, 302), response.content
    review = Case.objects.get(number=number)
    assert (review.state, review.outcome) == ("closed", "deleted")
    assert CreditRecord.objects.get(public_id=world.record["id"]).publicity == "deleted"


def test_notices_name_the_review_its_window_and_the_deciding_office(admin_api):
    """§9.4: the objection's result notice names the review (15 working days) and that reconsideration and
    litigation stay open; the review's own result notice is issued by the office above and names the objection."""
    from django.template.loader import render_to_string

    from casework.documents.letters import letter_for_notice

    world, objection = decided_objection(admin_api, "upheld")
    first = letter_for_notice(Notice.objects.get(case__number=objection, kind="objection_result"))
    assert "复核" in first.remedies and "15" in first.remedies and "行政复议" in first.remedies
    with time_machine.travel("2026-10-09 09:00 +0800", tick=False):
        number = created(ask_review(world, objection))["number"]
        [task] = open_tasks(world, number)
        complete(world, task, "deleted", note="原处罚决定已被撤销。")
    letter = letter_for_notice(Notice.objects.get(case__number=number, kind="review_result"))
    assert letter.title == "复核结果告知书" and letter.reviewed == objection
    assert letter.department == "福州市社会信用体系建设联席会议办公室"
    assert letter.outcome_sentence.startswith("经复核") and "删除" in letter.outcome_sentence
    assert "复核" not in letter.remedies and "行政复议" in letter.remedies  # the review is asked once
    html = render_to_string(letter.template, {"letter": letter})
    assert objection in html and number in html and "信复决〔2026〕" in html


def test_an_objection_treated_as_withdrawn_has_no_result_to_review(admin_api):
    """§9.4 with §9.10: an objection closed because its 补正 went unanswered has no result; no review is offered."""
    from casework.services.supplement import supplement_withdraw_due

    with time_machine.travel("2026-11-23 10:00 +0800", tick=False):
        world = build_world(admin_api)
        number = created(file_objection(world))["number"]
        [task] = open_tasks(world, number)
        complete(world, task, "request_materials", note="请补充处罚撤销决定书。")
    with time_machine.travel("2026-12-31 10:00 +0800", tick=False):
        assert supplement_withdraw_due() == 1
        assert (Case.objects.get(number=number).outcome, Case.objects.get(number=number).state) == (
            "withdrawn",
            "closed",
        )
        response = ask_review(world, number)
        window = world["subject"].get(f"/api/v1/cases/{number}/review/").json()
    assert response.status_code == 400 and "no result" in response.json()["objection"][0]
    assert window["available"] is False and window["last_day"] is None
