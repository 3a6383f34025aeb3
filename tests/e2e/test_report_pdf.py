"""Issue 14: the monthly report's PDF in the browser: "being prepared", then the download link appears by
itself once the worker has stored it (web/report_pdf.py; the task runs in this process here)."""

from datetime import date

import pytest
import time_machine
from django.utils import timezone
from playwright.sync_api import expect

from tests.web_world import add_supervisor, user
from tests.world import build_world, file_objection
from web.report_pdf import pdf_prepare

from .conftest import WIDTHS

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("width", list(WIDTHS.values()), ids=list(WIDTHS))
def test_the_pdf_is_prepared_then_offered(pages, admin_api, settings, tmp_path, width):
    settings.MEDIA_ROOT = tmp_path
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        assert file_objection(build_world(admin_api)).status_code == 201
    add_supervisor()
    head = pages.sign_in("head", width=width)
    head.goto("/supervision/reports/monthly/?month=2026-10")
    head.get_by_role("button", name="PDF").click()
    preparing = head.get_by_test_id("pdf-preparing")
    expect(preparing).to_contain_text("正在生成 PDF")
    pages.audit(head)
    pdf_prepare(user("head").pk, date(2026, 10, 1), "zh-hans", timezone.localdate())
    download = head.get_by_test_id("pdf-download")
    expect(download).to_be_visible()
    with head.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == "monthly-report-2026-10.pdf"
