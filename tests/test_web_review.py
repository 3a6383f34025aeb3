"""Issue 10, docs/domain.md §9.4 — 复核 on the web: the portal's 「申请复核」 on a decided objection with its
last day, the office above deciding it from its queue, the links on both case pages and the notices."""

import pytest
import time_machine

from casework.models import Case, CreditRecord, Notice

from .review_world import ask_review, complete, decided_objection, open_tasks
from .world import build_world, created, file_objection

pytestmark = pytest.mark.django_db


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
