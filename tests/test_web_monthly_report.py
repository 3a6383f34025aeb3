"""Issue 14, the monthly report an office hands in: Chinese headers, header block, totals, percentages, a chart,
PDF/CSV/XLSX, a clear 400 for a month that is not one, the latest month with work by default, projections
labelled."""

import io

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook
from pypdf import PdfReader

from casework.models import CaseTask
from casework.services.tasks import task_claim, task_complete
from web.tasks import monthly_report_pdf_task

from .web_world import add_supervisor, user
from .world import build_world, file_objection

pytestmark = pytest.mark.django_db


def client_of(username: str, language: str = "zh-hans") -> Client:
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    client.force_login(user(username))
    return client


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path  # stored PDFs of one test are not another's


@pytest.fixture
def october(admin_api):
    """One objection filed and accepted (a day late) in October 2026; nothing in November."""
    with time_machine.travel("2026-10-12 10:00 +0800", tick=False):
        world = build_world(admin_api)
        assert file_objection(world).status_code == 201
    with time_machine.travel("2026-10-16 10:00 +0800", tick=False):
        credit = user("credit")
        task = task_claim(task=CaseTask.objects.get(), user=credit)
        task_complete(task=task, user=credit, decision="accept", note="", data={})
    add_supervisor()


@pytest.mark.parametrize("month", ["garbage", "2026-13", "2026-00", "26-11", "2026-11-01", "９９９９-11"])
def test_a_month_that_is_not_one_is_a_400_saying_how_to_write_it(october, month):
    response = client_of("head", "en").get("/supervision/reports/monthly/", {"month": month})
    assert response.status_code == 400
    assert "is not a month. Write it as YYYY-MM" in response.content.decode()


def test_an_unknown_format_is_a_400(october):
    response = client_of("head", "en").get(
        "/supervision/reports/monthly/", {"month": "2026-10", "format": "doc"}
    )
    assert response.status_code == 400 and "choose html, csv, xlsx or pdf" in response.content.decode()


def test_the_default_month_is_the_latest_with_work_and_the_page_is_a_report(october):
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        response = client_of("head").get("/supervision/reports/monthly/")
    page = response.content.decode()
    assert response.status_code == 200
    report = response.context["report"]
    assert f"{report.month:%Y-%m}" == "2026-10" and not report.projected
    assert "2026-10-01 — 2026-10-31" in page and "鼓楼区信用办" in page  # period, jurisdiction
    assert "按时办结率" in page and "on_time_rate" not in page  # Chinese headers, no identifiers
    total = response.context["table"][-1]
    assert total[0] == "合计" and total[report.columns.index("completed")] == "1"
    assert total[report.columns.index("on_time_rate")] == "0.0%"  # accepted late: a percentage, not 0.0
    assert '<svg xmlns="http://www.w3.org/2000/svg" class="chart"' in page


def test_the_current_month_labels_its_projected_figures(october):
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        response = client_of("head").get("/supervision/reports/monthly/", {"month": "2026-10"})
    assert response.context["report"].projected
    assert "（预计）" in response.content.decode()


def test_csv_xlsx_and_pdf_carry_the_header_block_headers_and_totals(october):
    head = client_of("head")
    with time_machine.travel("2026-12-03 10:00 +0800", tick=False):
        csv_text = head.get("/supervision/reports/monthly/", {"month": "2026-10", "format": "csv"}).content
        xlsx = head.get("/supervision/reports/monthly/", {"month": "2026-10", "format": "xlsx"}).content
        # The PDF is made by a worker (web/report_pdf.py); here the task runs in this process.
        monthly_report_pdf_task(user("head").pk, "2026-10-01", "zh-hans", "2026-12-03")
        pdf = head.get("/supervision/reports/monthly/", {"month": "2026-10", "format": "pdf"})
    text = csv_text.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("信用修复与异议办理情况月报") and "统计期间" in text
    assert "按时办结率" in text and "\n合计," in text.replace("\r\n", "\n")
    sheet = load_workbook(io.BytesIO(xlsx)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert any(row[0] == "合计" for row in values)
    assert any(cell.number_format == "0.0%" for row in sheet.iter_rows() for cell in row)
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    content = "".join(page.extract_text() for page in reader.pages)
    assert "合计" in content and "2026" in content and len(reader.pages) == 1
