"""Issue 12: the national 双公示 administrative-penalty layout imports as departments export it, with the
documented mapping (docs/integration.md): the authority by its credit code, 公示截止期 as the end of
publication, the severity from the mapping table or a row error."""

import csv
import datetime
import io
from pathlib import Path

import pytest
from django.core.management import call_command

from casework.models import CreditRecord, Subject
from casework.services.history_verify import history_verify
from casework.services.registry import department_create
from integration.imports import records_import
from integration.shuanggongshi import SEVERITY

pytestmark = pytest.mark.django_db
EXAMPLE = Path(__file__).parent / "files" / "shuanggongshi-penalties.csv"
AUTHORITY = "11350102MB01234562"  # the example file's 处罚机关统一社会信用代码


@pytest.fixture
def market(db):
    return department_create(
        code="xy-market",
        name="鼓楼区市场监督管理局",
        kind="market_regulation",
        level="district",
        division="350102",
        credit_code=AUTHORITY,
    )


def test_the_example_file_imports_as_exported(market):
    with EXAMPLE.open("rb") as f:
        batch = records_import(file=f, filename=EXAMPLE.name, actor=None)
    assert (batch.imported_rows, batch.rejected_rows) == (3, 0), batch.rejected
    records = {r.subject.name: r for r in CreditRecord.objects.select_related("subject", "provider")}
    company, shop, person = records["福州示例商贸有限公司4"], records["鼓楼区示例小吃店"], records["王某某"]
    assert {r.provider for r in records.values()} == {market}
    assert {r.kind for r in records.values()} == {"admin_penalty"}
    assert (company.severity, shop.severity, person.severity) == ("general", "minor", "general")
    assert company.decided_on == datetime.date(2026, 3, 2)  # 2026/3/2
    assert shop.decided_on == datetime.date(2026, 4, 8)  # 2026年4月8日
    assert person.decided_on == datetime.date(2026, 5, 10)  # 20260510
    assert company.publication_ends_on == datetime.date(2029, 3, 2)
    assert shop.publication_ends_on == datetime.date(2026, 7, 8)
    assert (company.subject.kind, shop.subject.kind, person.subject.kind) == (
        "enterprise",
        "enterprise",
        "person",
    )
    assert person.subject.code == "350102198506121235"
    assert (
        "违法事实：未按规定期限公示2025年度报告" in company.summary
        and "罚款金额（万元）：0.5" in company.summary
    )
    assert "备注：已整改" in shop.summary
    assert history_verify().ok
    with EXAMPLE.open("rb") as f:  # imported twice: nothing new
        again = records_import(file=f, filename=EXAMPLE.name, actor=None)
    assert (again.imported_rows, again.unchanged_rows) == (0, 3)


def test_the_command_reads_the_example_file(market, capsys):
    call_command("import_records", str(EXAMPLE))
    assert "imported  3" in capsys.readouterr().out


def _with(change: dict, header_drop: str = "") -> io.BytesIO:
    rows = list(csv.DictReader(io.StringIO(EXAMPLE.read_text(encoding="utf-8-sig"))))[:1]
    rows[0].update(change)
    fields = [f for f in rows[0] if f != header_drop]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, extrasaction="ignore")
    writer.writeheader()
    writer.writerows(rows)
    return io.BytesIO(out.getvalue().encode("gb18030"))  # departments' exports are often GBK


# changes to the first example row → the column that must be named in the row error
ROW_ERRORS = [
    ({"处罚类别": "其他"}, "处罚类别"),  # no severity in the mapping table
    ({"处罚机关统一社会信用代码": "91350102MA2Y0004X9"}, "处罚机关统一社会信用代码"),  # no such department
    ({"行政相对人类别": "外国人"}, "行政相对人类别"),
    ({"行政相对人类别": "自然人", "证件类型": "护照", "证件号码": "E12345678"}, "证件类型"),
    ({"罚款金额(万元)": "五千"}, "罚款金额"),
    ({"处罚决定日期": "2099/1/1"}, "处罚决定日期"),
    ({"处罚决定日期": ""}, "处罚决定日期"),
    ({"公示截止期": "2020/1/1"}, "公示截止期"),  # before the decision
    ({"行政相对人代码_1(统一社会信用代码)": "91350102MA2Y0004X8"}, "行政相对人代码/证件号码"),  # check char
    ({"处罚机关统一社会信用代码": ""}, "处罚机关统一社会信用代码"),
    ({"违法事实": "未按\x00规定"}, "违法事实"),  # a NUL byte in a cell
]


@pytest.mark.parametrize(("change", "column"), ROW_ERRORS)
def test_a_bad_row_names_its_column(market, change, column):
    batch = records_import(file=_with(change), filename="bad.csv", actor=None)
    assert batch.rejected_rows == 1, batch.rejected
    assert column in {e["field"] for e in batch.rejected[0]["errors"]}
    assert CreditRecord.objects.count() == Subject.objects.count() == 0


def test_a_severity_column_overrides_the_mapping_table(market):
    batch = records_import(file=_with({"处罚类别": "其他", "严重程度": "严重"}), filename="x.csv", actor=None)
    assert batch.imported_rows == 1, batch.rejected
    assert CreditRecord.objects.get().severity == "serious"


def test_several_categories_take_the_most_severe(market):
    batch = records_import(file=_with({"处罚类别": "警告、吊销许可证件"}), filename="x.csv", actor=None)
    assert batch.imported_rows == 1 and CreditRecord.objects.get().severity == "serious"
    assert set(SEVERITY.values()) == {"minor", "general", "serious"}


def test_a_missing_column_is_a_file_error(market):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        records_import(file=_with({}, header_drop="处罚决定日期"), filename="x.csv", actor=None)
    assert "处罚决定日期" in caught.value.message_dict["file"][0]


def test_a_department_is_registered_with_its_credit_code(admin_api):
    body = {"code": "xy-market", "name": "市场监管局", "kind": "market_regulation", "level": "district"}
    typed = " ".join(AUTHORITY[:9]) + AUTHORITY[9:].lower()  # spaces and lower case: normalised
    response = admin_api.post("/api/v1/departments/", {**body, "division": "350102", "credit_code": typed})
    assert response.status_code == 201, response.content
    assert response.json()["credit_code"] == AUTHORITY
    wrong = {**body, "code": "xy-tax", "division": "350102", "credit_code": AUTHORITY[:-1] + "3"}
    response = admin_api.post("/api/v1/departments/", wrong)
    assert response.status_code == 400 and "credit_code" in response.json()
