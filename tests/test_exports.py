"""Issue 12: exports neutralise formula cells ("CSV injection"): text a spreadsheet would run as a formula gets a
leading apostrophe, in every export (one helper, casework.exports), CSV and XLSX alike."""

import io

import openpyxl
import pytest

from casework.exports import csv_text, neutralise, xlsx_bytes
from casework.models import Department

from .test_web_workspace import client_of, filed  # noqa: F401  (the fixture)
from .web_world import add_supervisor

FORMULA_CELLS = [
    ('=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("@SUM(A1)", "'@SUM(A1)"),
    ("\t=1", "'\t=1"),
    ("\r=1", "'\r=1"),
]
PLAIN_CELLS = ["鼓楼区信用办", "a=b", " =1", "", 0, -5, 0.25, None]


@pytest.mark.parametrize(("cell", "expected"), FORMULA_CELLS)
def test_formula_cells_get_an_apostrophe(cell, expected):
    assert neutralise(cell) == expected
    body = csv_text(["c"], [{"c": cell}]).split("\r\n", 1)[1]  # the row after the header
    assert body.startswith(("'", "\"'")) and body.lstrip('"').startswith(expected.replace('"', '""'))
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx_bytes(["c"], [{"c": cell}]))).active
    # XML keeps no bare CR: a cell "\r=1" comes back as "\n=1", still behind the apostrophe.
    assert sheet["A2"].value == expected.replace("\r", "\n") and sheet["A2"].data_type == "s"


@pytest.mark.parametrize("cell", PLAIN_CELLS)
def test_other_cells_pass_unchanged(cell):
    assert neutralise(cell) == cell


@pytest.mark.django_db
def test_the_monthly_report_neutralises_a_formula_department_name(filed):  # noqa: F811
    Department.objects.filter(code="xy-credit").update(name='=HYPERLINK("http://evil","鼓楼")')
    add_supervisor()
    head = client_of("head")
    report = head.get("/supervision/reports/monthly/?month=2026-11&format=csv").content.decode()
    assert "'=HYPERLINK" in report and '\n"=HYPERLINK' not in report and "\n=HYPERLINK" not in report
    xlsx = head.get("/supervision/reports/monthly/?month=2026-11&format=xlsx").content
    names = [row[0] for row in openpyxl.load_workbook(io.BytesIO(xlsx)).active.iter_rows(values_only=True)]
    assert '\'=HYPERLINK("http://evil","鼓楼")' in names
