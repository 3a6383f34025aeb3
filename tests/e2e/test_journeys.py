"""Issue 14: each face's main journeys at phone (390 px) and laptop (1366 px) width.

Every page visited is audited (tests/e2e/conftest.py): no console error, no 5xx, no horizontal overflow,
no axe-core serious or critical violation.
"""

import re

import pytest
import time_machine
from playwright.sync_api import expect

from casework.models import Case
from casework.services.escalation import escalation_sweep
from tests.test_imports import row, write_csv
from tests.web_world import PDF, add_supervisor
from tests.world import build_world, file_objection

from .conftest import WIDTHS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

expect.set_options(timeout=10_000)

widths = pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))


@widths
def test_portal_home_objection_and_case_page(pages, admin_api, width):
    build_world(admin_api)
    subject = pages.sign_in("subject", width=width)
    pages.audit(subject)
    objection = subject.get_by_test_id("object").first
    expect(objection).to_be_in_viewport()
    objection.click()
    expect(subject.get_by_test_id("choices-records").locator("legend")).to_be_visible()
    pages.audit(subject)

    # A validation error first (no statement): the page says so, the user is not lost.
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")
    expect(subject.locator(".has-error, .errors").first).to_be_visible()
    pages.audit(subject)

    subject.fill("#id_statement", "该处罚决定已于2026年5月被撤销, 记录有误。")
    subject.set_input_files(
        "#id_materials", files=[{"name": "撤销决定书.pdf", "mimeType": "application/pdf", "buffer": PDF}]
    )
    subject.check("#id_commitment_signed")
    subject.click("button[type=submit]")  # sent by the upload script: wait for the case page
    expect(subject).to_have_url(re.compile(r"/portal/cases/[A-Z]{2}-\d{4}-\d{6}/$"))
    number = Case.objects.get().number
    expect(subject).to_have_url(f"{pages.base_url}/portal/cases/{number}/")
    pages.audit(subject)
    subject.goto("/portal/cases/")
    expect(subject.get_by_role("link", name=number)).to_be_in_viewport()
    pages.audit(subject)
    subject.goto("/inbox/")
    pages.audit(subject)


@widths
def test_workspace_queue_task_and_import(pages, admin_api, width, tmp_path):
    world = build_world(admin_api)
    assert file_objection(world).status_code == 201
    number = Case.objects.get().number
    credit = pages.sign_in("credit", width=width)
    expect(credit.get_by_test_id("task-row")).to_have_count(1)
    pages.audit(credit)

    credit.fill("#id_q", world.subject["name"][:3])
    credit.locator("form.filters button").click()
    expect(credit.get_by_test_id("task-row")).to_have_count(1)
    pages.audit(credit)

    credit.get_by_role("link", name=number).click()
    pages.audit(credit)
    credit.get_by_role("button", name="认领").click()
    decide = credit.get_by_role("button", name="提交决定")
    decide.scroll_into_view_if_needed()
    expect(decide).to_be_in_viewport()
    pages.audit(credit)

    credit.goto("/workspace/imports/")
    pages.audit(credit)
    path = write_csv(tmp_path / "2026-11.csv", [row(1), row(2)])
    credit.set_input_files("input[type=file]", str(path))
    credit.get_by_test_id("import-form").locator("button[type=submit]").click()
    expect(credit.get_by_test_id("imported")).to_be_visible()
    pages.audit(credit)


@widths
def test_supervision_board_reassign_dashboard_report(pages, admin_api, width):
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
    escalation_sweep()
    add_supervisor()
    number = Case.objects.get().number

    head = pages.sign_in("head", width=width)
    expect(head.get_by_test_id("overdue-row")).to_have_count(1)
    pages.audit(head)
    head.get_by_test_id("reassign").first.click()
    pages.audit(head)
    head.goto(f"/supervision/cases/{number}/")
    pages.audit(head)
    head.goto("/supervision/cases/")
    pages.audit(head)
    head.goto("/supervision/subjects/")
    pages.audit(head)
    head.goto("/supervision/dashboard/")
    pages.audit(head)
    head.goto("/supervision/reports/monthly/")
    expect(head.get_by_test_id("report-total")).to_be_visible()
    pages.audit(head)


@widths
def test_account_and_error_pages(pages, admin_api, width):
    build_world(admin_api)
    anonymous = pages.new(width=width)
    for url in ("/accounts/login/", "/accounts/password/reset/"):
        anonymous.goto(url)
        pages.audit(anonymous)
    subject = pages.sign_in("subject", width=width)
    for url in (
        "/accounts/password/change/",
        "/accounts/logout/",
        "/workspace/imports/format/",
        "/no-such-page/",
    ):
        subject.goto(url)
        pages.audit(subject)
    subject.get_by_test_id("go-home").click()  # from the 404 (the import page was a 403: not a subject's)
    expect(subject).to_have_url(f"{pages.base_url}/portal/")


@widths
def test_portal_third_party_objection_during_publicity(pages, admin_api, width):
    """docs/domain.md §9.5: another company finds a list exit under publicity, objects with evidence, and lands
    on its own objection's page; the listed company's case page says it is held, without name or statement."""
    from tests.test_list_exit_api import listed_world
    from tests.test_third_party_objection import STATEMENT, to_publicity

    with time_machine.travel("2026-11-23 10:00 +0800", tick=True):
        world = listed_world(admin_api)
        number = to_publicity(world)
        objector = pages.sign_in("other_subject", width=width)
        objector.goto("/portal/publicity/")
        pages.audit(objector)
        objector.fill("#id_q", "YC-12")  # a field error first
        objector.click("button[type=submit]")
        expect(objector.locator(".has-error").first).to_be_visible()
        pages.audit(objector)
        objector.fill("#id_q", world.subject["code"])
        objector.click("button[type=submit]")
        objector.get_by_test_id(f"object-{number}").click()
        pages.audit(objector)
        objector.fill("#id_statement", STATEMENT)
        objector.set_input_files(
            "#id_materials", files=[{"name": "欠薪证明.pdf", "mimeType": "application/pdf", "buffer": PDF}]
        )
        objector.click("button[type=submit]")
        # The form is sent by XHR (real upload progress): wait for the page it lands on.
        objector.wait_for_url(re.compile(r".*/portal/cases/[A-Z]{2}-\d{4}-\d{6}/$"))
        objection = Case.objects.get(objects_to__number=number).number
        expect(objector).to_have_url(f"{pages.base_url}/portal/cases/{objection}/")
        pages.audit(objector)
        listed = pages.sign_in("subject", width=width)
        listed.goto(f"/portal/cases/{number}/")
        expect(listed.get_by_test_id("publicity-held")).to_be_visible()
        assert STATEMENT not in listed.content()
        pages.audit(listed)
