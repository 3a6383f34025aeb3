"""Issue 5 acceptance, in a real browser: the three faces working one objection and one late task."""

import re
from datetime import timedelta

import pytest
import time_machine
from playwright.sync_api import expect
from pypdf import PdfReader

from casework.models import Case, CaseTask, Department
from casework.services.documents import notices_render_pending
from casework.services.escalation import escalation_sweep
from casework.services.registry import user_create
from notifications.services import outbox_deliver, outbox_due_ids
from tests.web_world import PDF, add_supervisor
from tests.world import build_world, file_objection, forward_objection

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)


def deliver_messages() -> None:
    """What the Celery worker does after commit: deliver the outbox and render the notices (both are tested
    with a real worker elsewhere; here the browser is under test)."""
    for outbox_id in outbox_due_ids():
        outbox_deliver(outbox_id)
    notices_render_pending(older_than=timedelta(0))


def test_objection_from_filing_to_result(pages, admin_api):
    build_world(admin_api)

    # The subject files an objection against its record, with a PDF, through the guided form.
    subject = pages.sign_in("subject")
    expect(subject).to_have_url(f"{pages.base_url}/portal/")
    subject.get_by_test_id("object").first.click()
    subject.fill("#id_statement", "该处罚决定已于2026年5月被撤销, 记录有误。")
    subject.set_input_files(
        "#id_materials", files=[{"name": "撤销决定书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")  # sent by the upload script: wait for the case page
    expect(subject).to_have_url(re.compile(r"/portal/cases/[A-Z]{2}-\d{4}-\d{6}/$"))
    number = Case.objects.get().number
    expect(subject).to_have_url(f"{pages.base_url}/portal/cases/{number}/")
    expect(subject.get_by_test_id("case-state")).to_have_text("已提交，待受理")
    expect(subject.get_by_role("link", name="撤销决定书.pdf")).to_be_visible()

    # The credit office's reviewer claims the acceptance step and accepts.
    credit = pages.sign_in("credit")
    expect(credit.get_by_test_id("task-row")).to_have_count(1)
    credit.get_by_role("link", name=number).click()
    credit.get_by_role("button", name="认领").click()
    expect(credit.get_by_test_id("task-state")).to_have_text("已认领")
    credit.check("input[name=decision][value=accept]")
    credit.get_by_role("button", name="提交决定").click()
    # Its self-check (docs/domain.md §9.1): not the platform's own error, so forward to the provider.
    expect(credit.get_by_test_id("task-row")).to_have_count(1)
    credit.get_by_role("link", name=number).click()
    credit.get_by_role("button", name="认领").click()
    credit.check("input[name=decision][value=forward]")
    credit.fill("#id_note", "非平台自身差错，转送信息提供单位核实。")
    credit.get_by_role("button", name="提交决定").click()
    expect(credit.get_by_test_id("task-row")).to_have_count(0)

    # The provider department's reviewer verifies: the record was wrong and is deleted.
    market = pages.sign_in("market")
    market.get_by_role("link", name=number).click()
    market.get_by_role("button", name="认领").click()
    market.check("input[name=decision][value=deleted]")
    market.fill("#id_note", "经核实, 处罚决定已撤销, 删除该记录。")
    market.get_by_role("button", name="提交决定").click()
    expect(market.get_by_test_id("task-row")).to_have_count(0)

    # The subject sees the result on the case page and in its messages.
    deliver_messages()
    subject.reload()
    expect(subject.get_by_test_id("case-state")).to_have_text("已办结")
    expect(subject.get_by_test_id("case-outcome")).to_have_text("删除记录")
    expect(subject.get_by_test_id("unread")).to_be_visible()

    # … and downloads the decision's notice as a PDF that says what was decided, in Chinese.
    notice_links = subject.get_by_test_id("notice-link")
    expect(notice_links).to_have_count(2)  # acceptance, objection result
    with subject.expect_download() as download:
        notice_links.last.click()
    pdf = PdfReader(download.value.path())
    text = "".join(page.extract_text() for page in pdf.pages)
    assert number in text and "异议" in text and "行政复议" in text
    diagram = subject.get_by_test_id("process-diagram")
    expect(diagram).to_be_visible()
    # The SVG loaded: a broken image is "visible" too.
    assert diagram.evaluate("img => img.complete && img.naturalWidth > 0")

    subject.click("a[href='/inbox/']")
    expect(subject.locator("ul.messages li.unread").first).to_contain_text(number)


def test_supervisor_reassigns_an_overdue_task(pages, admin_api):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
        accept = CaseTask.objects.get()
        world["credit"].post(
            f"/api/v1/tasks/{accept.public_id}/complete/", {"decision": "accept"}, format="json"
        )
        forward_objection(world)
        # The department that made the finding decides (谁认定谁修复): the late verification moves to a
        # colleague in the same department, never to another one.
        user_create(
            username="market-2",
            password="a-long-password-1",
            role="reviewer",
            departments=[Department.objects.get(code="xy-market")],
        )
    escalation_sweep()
    add_supervisor()
    number = Case.objects.get().number

    head = pages.sign_in("head")
    expect(head).to_have_url(f"{pages.base_url}/supervision/")
    row = head.get_by_test_id("overdue-row")
    expect(row).to_have_count(1)
    expect(row).to_contain_text(number)
    expect(row).to_contain_text("鼓楼区市场监管局")
    row.get_by_test_id("reassign").click()
    head.select_option("#id_assignee", "market-2")
    head.fill("#id_reason", "督办：核实逾期，改由本局另一名经办人办理。")
    head.get_by_role("button", name="重新分派").click()
    expect(head).to_have_url(f"{pages.base_url}/supervision/")
    verify = CaseTask.objects.get(step="verify")
    assert verify.department.code == "xy-market" and verify.assignee.username == "market-2"
